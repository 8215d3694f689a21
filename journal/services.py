"""Writes to a person's journal, each in one small function."""

from django.db import transaction
from django.utils import timezone

from journal.models import Duration, Entry, SavedCheck, User
from triage.engine import Assessment


def sign_up(email: str, password: str, time_zone: str) -> User:
    return User.objects.create_user(email, password, time_zone=time_zone)


def set_time_zone(user: User, time_zone: str) -> None:
    user.time_zone = time_zone
    user.save(update_fields=["time_zone"])


def delete_account(user: User) -> None:
    """Delete the person and, through CASCADE, every entry, saved check and plan at once."""
    with transaction.atomic():
        user.delete()


@transaction.atomic
def save_entry(user: User, entry: Entry) -> Entry:
    """Save a new or edited entry as the person's own."""
    entry.user = user
    entry.save()
    return entry


@transaction.atomic
def quick_add(user: User, region: str, side: str) -> Entry:
    """A twitch now: the place and side, with everything else left for later."""
    entry = Entry.objects.create(
        user=user, occurred_at=timezone.now(), region=region, side=side, duration=Duration.SECONDS
    )
    return entry


@transaction.atomic
def delete_entry(entry: Entry) -> None:
    entry.delete()


@transaction.atomic
def delete_saved_check(check: SavedCheck) -> None:
    check.delete()


@transaction.atomic
def save_check(user: User, answers: dict[str, str], assessment: Assessment) -> SavedCheck:
    check = SavedCheck.objects.create(
        user=user,
        answers=dict(answers),
        level=assessment.level.id,
        ruleset_version=assessment.ruleset_version,
    )
    return check
