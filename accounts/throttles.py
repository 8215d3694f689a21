"""Limits on how often a password is checked, an email sent or a journal imported.

Sign-in has its own lockout (accounts/lockout.py). The README's "Security" section lists
these limits and what a person sees when one applies.
"""

from dataclasses import dataclass
from datetime import timedelta
from math import ceil

from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.models import ThrottleHit

HOUR = timedelta(hours=1)
# No limit counts uses further back than this, so older uses can all be deleted.
LONGEST_WINDOW = HOUR


@dataclass(frozen=True)
class Limit:
    scope: str
    uses: int
    window: timedelta
    title: str
    message: str

    def __post_init__(self) -> None:
        if self.window > LONGEST_WINDOW:
            raise ValueError(f"{self.scope}: a window longer than {LONGEST_WINDOW} is never kept")


def forget_old_uses() -> None:
    """Delete every use older than any window: the privacy notice promises they go."""
    ThrottleHit.objects.filter(at__lt=timezone.now() - LONGEST_WINDOW).delete()


PASSWORD_CHECKS = Limit(
    "password_check",
    10,
    HOUR,
    "Too many password attempts",
    "To keep your account safe, we have paused password checks for an hour after several "
    "tries. If you have forgotten your password, sign out and reset it.",
)
RESET_EMAILS = Limit(
    "reset_email",
    3,
    HOUR,
    "Too many reset requests",
    "We have sent several password-reset emails already. Please wait for them, check your "
    "spam folder, and try again in an hour if none arrives.",
)
SIGN_UP_EMAILS = Limit(
    "sign_up_email",
    3,
    HOUR,
    "Too many sign-ups",
    "We have sent several sign-up emails already. Please wait for them, check your spam "
    "folder, and try again in an hour if none arrives.",
)
# One address (a home, an office) may speak for several people, so it gets more room.
ADDRESS_EMAILS = Limit(
    "address_email",
    20,
    HOUR,
    "Too many emails asked for",
    "Several emails have been asked for from your network in the last hour. Please try "
    "again in an hour.",
)
IMPORTS = Limit(
    "import",
    10,
    HOUR,
    "Too many imports",
    "You have imported several journal files in the last hour. Please try again in an hour.",
)


def _hash(limit: Limit, key: str) -> str:
    # Salted as when this module was the journal's, so the counts carry on across the move.
    return salted_hmac(f"journal.throttles.{limit.scope}", key, algorithm="sha256").hexdigest()


def allow(limit: Limit, *keys: str) -> bool:
    """Count one use for every key, unless any key has used up `limit`: then count nothing
    and return False."""
    now = timezone.now()
    hashes = [_hash(limit, key) for key in keys]
    with transaction.atomic():
        ThrottleHit.objects.filter(scope=limit.scope, at__lt=now - limit.window).delete()
        used = (
            ThrottleHit.objects.filter(scope=limit.scope, key__in=hashes)
            .values("key")
            .annotate(uses=Count("id"))
            .filter(uses__gte=limit.uses)
        )
        if used.exists():
            return False
        ThrottleHit.objects.bulk_create(
            ThrottleHit(scope=limit.scope, key=key, at=now) for key in hashes
        )
    return True


def retry_after(limit: Limit, *keys: str) -> int:
    """Seconds until every key that has used up `limit` may be used again: until enough of
    its uses have left the window. The whole window if no key given has used it up."""
    whole = ceil(limit.window.total_seconds())
    now = timezone.now()
    waits = []
    for key in keys:
        # Newest first: once the `uses`-th newest use leaves the window, fewer than
        # `uses` are left in it.
        used = ThrottleHit.objects.filter(
            scope=limit.scope, key=_hash(limit, key), at__gte=now - limit.window
        ).order_by("-at")[limit.uses - 1 : limit.uses]
        for at in used.values_list("at", flat=True):
            waits.append((at + limit.window - now).total_seconds())
    # A use counts until it is older than the window: the second after is free.
    return min(whole, ceil(max(waits)) + 1) if waits else whole


def refused(request: HttpRequest, limit: Limit, *keys: str) -> HttpResponse:
    """The calm 429 page for `limit`, saying in Retry-After when to try again: when the
    keys `allow` refused may be used again, or, without them, after the whole window."""
    context = {"title": limit.title, "message": limit.message}
    response = render(request, "accounts/throttled.html", context, status=429)
    response["Retry-After"] = str(retry_after(limit, *keys))
    return response
