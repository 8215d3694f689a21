"""Writes to a person's journal, each in one small function."""

from journal.models import SavedCheck, User
from triage.engine import Assessment


def save_check(user: User, answers: dict[str, str], assessment: Assessment) -> SavedCheck:
    return SavedCheck.objects.create(
        user=user,
        answers=dict(answers),
        level=assessment.level.id,
        ruleset_version=assessment.ruleset_version,
    )
