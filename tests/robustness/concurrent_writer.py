"""One writer process for the concurrency test: a person logging twitches and saving results.

Run as `python concurrent_writer.py write EMAIL COUNT` (prints the ids it was told were
saved) or `python concurrent_writer.py count EMAIL...` (prints what the database holds).
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from journal.models import Entry, SavedCheck  # noqa: E402
from triage.engine import assess  # noqa: E402


def write(email: str, count: int) -> dict[str, list[int]]:
    user = User.objects.create_user(email, "a-long-password-1")
    saved: dict[str, list[int]] = {"entries": [], "checks": []}
    for number in range(count):
        with transaction.atomic():
            entry = Entry.objects.create(
                user=user,
                occurred_at=timezone.now(),
                region="calf",
                side="left",
                duration="seconds",
                intensity=1 + number % 5,
            )
        saved["entries"].append(entry.pk)
        if number % 5 == 0:
            answers = {"emergency_signs": "no", "area": "eyelid", "eyelid_duration": "over_2_weeks"}
            check = SavedCheck.objects.save_result(user, answers, assess(answers))
            saved["checks"].append(check.pk)
    return saved


def count(emails: list[str]) -> dict[str, dict[str, list[int]]]:
    return {
        email: {
            "entries": sorted(Entry.objects.filter(user__email=email).values_list("pk", flat=True)),
            "checks": sorted(
                SavedCheck.objects.filter(user__email=email).values_list("pk", flat=True)
            ),
        }
        for email in emails
    }


if __name__ == "__main__":
    if sys.argv[1] == "write":
        print(json.dumps(write(sys.argv[2], int(sys.argv[3]))))
    else:
        print(json.dumps(count(sys.argv[2:])))
