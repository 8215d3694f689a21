"""What the journal adds to every page's context, computed only when a template reads it.

The self-check never imports the journal; its result page reads `same_saved_check_on` and
tells a signed-in person who checks again with the answers of a result they saved in the
last few days that nothing has changed.
"""

from collections.abc import Callable
from datetime import date, timedelta
from functools import cache

from django.http import HttpRequest
from django.utils import timezone

from journal.models import SavedCheck
from triage.answers import get_answers, saved_check_id
from triage.engine import assess

# How far back a saved result with the same answers counts as "your last check".
SAME_CHECK_DAYS = 7


def same_saved_check(request: HttpRequest) -> dict[str, Callable[[], date | None]]:
    """`same_saved_check_on`: the day of this person's newest result saved in the last
    `SAME_CHECK_DAYS` days with exactly the self-check answers in their session and the same
    level, leaving out the copy of this very result saved from this session; else None."""

    @cache
    def same_saved_check_on() -> date | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        answers = get_answers(request.session)
        if not answers:
            return None
        since = timezone.now() - timedelta(days=SAME_CHECK_DAYS)
        checks = SavedCheck.objects.for_user(user).filter(
            created_at__gte=since, level=assess(answers).level.id
        )
        this_result = saved_check_id(request.session, user.pk, answers)
        if this_result is not None:
            checks = checks.exclude(pk=this_result)
        # Compared here, not in SQL: JSON equality differs between databases.
        for check in checks.only("answers", "created_at"):
            if check.answers == answers:
                return timezone.localdate(check.created_at)
        return None

    return {"same_saved_check_on": same_saved_check_on}
