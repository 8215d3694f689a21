"""Every session a person is signed in with, kept by its key so that all of them can be
ended at once (`SignedInSession`), and sessions deleted once their time is up.

A sign-in records its session's key and signing out forgets it. Deleting the account,
changing the password on the account page (all but the session that changed it) and
setting one from a reset link delete every other session through the session engine, so
nothing of them (a self-check's answers, the sign-in) is left in the database or in
Redis. Every hour each background worker deletes the sessions whose time is up
(`clear_expired`, which Django leaves to a command nobody runs) and forgets their keys.
"""

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from accounts import throttles
from accounts.models import SignedInSession, SignUpCheck, User, session_store
from reliability.workers import worker_housekeeping

CLEAR_EVERY = 3600.0
_cleared_at = float("-inf")


@receiver(user_logged_in, dispatch_uid="accounts.remember_session")
def remember_session(sender: type, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is None:
        return
    if session.session_key is None:
        # Signing in over someone else's session empties it and leaves it without a key
        # until the response is sent; it gets its key now, so that it can be recorded.
        session.save()
    SignedInSession.objects.remember(user, session.session_key)


@receiver(user_logged_out, dispatch_uid="accounts.forget_session")
def forget_session(sender: type, request: HttpRequest | None, **kwargs: Any) -> None:
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        SignedInSession.objects.filter(session_key=key).delete()


@receiver(worker_housekeeping, dispatch_uid="accounts.clear_ended_sessions")
def clear_ended_sessions_hourly(sender: type, **kwargs: Any) -> None:
    """Sent every few seconds in each background worker; clears once an hour."""
    global _cleared_at
    if time.monotonic() - _cleared_at >= CLEAR_EVERY:
        clear_ended_sessions()
        _cleared_at = time.monotonic()


def clear_ended_sessions() -> None:
    """Delete the sessions whose time is up, and forget the keys of every session that
    has ended, the self-check answers of sign-ups whose link no longer works, and uses of
    the rate limits older than any limit counts."""
    session_store().clear_expired()
    SignedInSession.objects.forget_ended()
    SignUpCheck.objects.forget_stale()
    throttles.forget_old_uses()
