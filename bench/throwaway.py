"""A throwaway copy of the site for a benchmark: production settings with a bare view
(`bench.settings`), its own SQLite file and static files, removed when the run ends."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import django
from django.core.management import call_command


def set_up(prefix: str) -> Path:
    """Point Django at a new throwaway directory and set it up; call before any model import."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, work, ignore_errors=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}",
            "STATIC_ROOT": str(work / "static"),
        }
    )
    django.setup()
    return work


def build() -> None:
    """Create the tables and collect the hashed static files, as a deployment does."""
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
