from datetime import date
from typing import Any

from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "journal"
    verbose_name = "Twitch journal"

    def ready(self) -> None:
        # The background worker's housekeeping ends imports whose worker died; the tasks
        # module connects that receiver, so it is loaded in every process.
        from journal import tasks  # noqa: F401

    def assess_journal(self, raw: bytes, today: date | None) -> dict[str, Any]:
        """`manage.py assess --journal` finds the journal through this, never by import."""
        # Imported here: models cannot load while the app registry is being built.
        from journal.assess_file import assess_journal_file

        return assess_journal_file(raw, today)
