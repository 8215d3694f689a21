from datetime import date
from typing import Any

from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "journal"
    verbose_name = "Twitch journal"

    def assess_journal(self, raw: bytes, today: date | None) -> dict[str, Any]:
        """`manage.py assess --journal` finds the journal through this, never by import."""
        # Imported here: models cannot load while the app registry is being built.
        from journal.assess_file import assess_journal_file

        return assess_journal_file(raw, today)
