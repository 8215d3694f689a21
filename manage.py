#!/usr/bin/env python
import os
import sys
from pathlib import Path

DEV_SECRET_KEY = Path(__file__).resolve().with_name(".dev-secret-key")


def main() -> None:
    # On a developer's checkout (`make run` wrote .dev-secret-key) a bare `manage.py ...`
    # runs as `make run` does. A server sets its own SECRET_KEY and never has that file.
    if (
        DEV_SECRET_KEY.exists()
        and not {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG"} & os.environ.keys()
    ):
        os.environ["DEBUG"] = "true"
        os.environ["SECRET_KEY"] = DEV_SECRET_KEY.read_text().strip()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
