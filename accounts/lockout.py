"""Sign-in lockout that stops guessing without letting a stranger lock a person out.

Wrong passwords lock one account from one address (`AXES_FAILURE_LIMIT`), so the owner,
signing in from anywhere else, is never locked by a stranger's guesses. One address
guessing across many accounts is stopped at `ADDRESS_FAILURE_LIMIT`. A completed password
reset lifts every lock on the account. The counts live in django-axes' tables, shared by
every server. The locked page (`locked_out`) says in Retry-After when sign-in opens again.
"""

from ipaddress import ip_address
from math import ceil

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.models import User
from accounts.tokens import lifetime


def client_address(request: HttpRequest) -> str:
    """The visitor's own address, read past `TRUSTED_PROXY_COUNT` proxies of ours.

    Each of our proxies appends the address it was reached from to X-Forwarded-For, so the
    entry `TRUSTED_PROXY_COUNT` from the right is the visitor's; anything further left was
    written by the visitor and is ignored.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if not count:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(hops) < count:
        return remote
    try:
        return str(ip_address(hops[-count]))
    except ValueError:
        return remote


def sign_in_name(request: HttpRequest | None, credentials: dict | None) -> str:
    """The email typed, as the account knows it, so capitals cannot dodge the count."""
    name = (credentials or {}).get("username")
    if name is None and request is not None:
        name = request.POST.get("username")
    return User.objects.normalize_email(name)


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Count failures for (account, address) against the lockout limit, and for the
    address alone against `ADDRESS_FAILURE_LIMIT`.

    `AXES_LOCKOUT_PARAMETERS` lists the pair first and the address second.
    """

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        pair, address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if address >= settings.ADDRESS_FAILURE_LIMIT:
            return max(pair, get_failure_limit(request, credentials))
        return pair

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """On a correct password, forget that account's failures from this address only:
        signing in to one's own account must not wipe the count of guesses at others."""
        pair_attempts = self.filter_user_attempts(request, credentials)[0]
        count, _ = pair_attempts.delete()
        return count

    def seconds_locked(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """Seconds until this request's failures no longer lock it out: until enough of
        them are older than AXES_COOLOFF_TIME, for the (account, address) pair and for the
        address alike. The whole cool-off if they do not lock it out now."""
        cool_off = get_cool_off(request)
        limits = (get_failure_limit(request, credentials), settings.ADDRESS_FAILURE_LIMIT)
        now = timezone.now()
        waits = []
        counts = self.get_user_attempts(request, credentials)
        for attempts, limit in zip(counts, limits, strict=True):
            # Newest first: once the attempt that brings the count to the limit is older
            # than the cool-off, the newer ones alone are under it.
            counted = 0
            rows = attempts.order_by("-attempt_time").values_list(
                "attempt_time", "failures_since_start"
            )
            for attempt_time, failures in rows:
                counted += failures
                if counted >= limit:
                    waits.append((attempt_time + cool_off - now).total_seconds())
                    break
        # An attempt counts until it is older than the cool-off: the second after is free.
        whole = ceil(cool_off.total_seconds())
        return min(whole, ceil(max(waits)) + 1) if waits else whole


def tries_left(request: HttpRequest, email: str | None) -> int:
    """Wrong passwords still allowed for `email` from this request's address before
    sign-in to it is paused (read after a failed attempt, which axes has counted)."""
    credentials = {"username": email}
    failures = AccountAndAddressHandler().get_failures(request, credentials)
    return get_failure_limit(request, credentials) - failures


def pause_length(request: HttpRequest) -> str:
    """How long sign-in is paused for: "1 hour", "30 minutes"."""
    return lifetime(ceil(get_cool_off(request).total_seconds()))


def locked_out(
    request: HttpRequest, original_response: object = None, credentials: dict | None = None
) -> HttpResponse:
    """django-axes' lockout page (AXES_LOCKOUT_CALLABLE): "Too many sign-in attempts",
    429, with Retry-After."""
    if isinstance(original_response, dict) and credentials is None:
        credentials = original_response  # axes' asynchronous middleware passes two
    response = render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)
    response["Retry-After"] = str(AccountAndAddressHandler().seconds_locked(request, credentials))
    return response
