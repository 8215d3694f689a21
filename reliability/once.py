"""A form sent twice saves once.

After a 503 (the database was restarting) nobody can tell whether what they sent was
saved: the commit may have landed just before the connection dropped. So the forms that
add something carry a one-time token, a new one each time the form is drawn
(`{% once_field %}`, from `reliability_tags`), and their views are wrapped in
`@sent_once`: the view runs in one transaction with the token's record, which is kept
only if the view saved something and sent the person on (its redirect). The same form
sent again, after a 503, a double click or the Back button, finds the token used, saves
nothing, and is sent where the first was, told it was saved once. Two copies sent at the
same moment both run, and the second to commit is undone by the token's unique key.

A request without a token (an old page, or a script) is answered as before, unprotected.
An htmx request with a token is protected too, as a double tap sends the same form twice:
the token is spent when the view saved something and answered, and the same token again
is answered 204 (the first answer has already changed the page). A form htmx sends more
than once (the journal's quick add) gets a new token in each answer.
"""

import re
import secrets
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from reliability.models import FormSubmission

FIELD = "once"
TOKEN = re.compile(r"[A-Za-z0-9_-]{22,64}")
ALREADY_SAVED = "You sent this twice. It is saved once."
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def new_token() -> str:
    return secrets.token_urlsafe(24)


class _WriteWatch:
    """Notes whether any SQL the view runs changes data."""

    def __init__(self) -> None:
        self.wrote = False

    def __call__(self, execute: Callable, sql: str, params: object, many: bool, context: dict):
        if not self.wrote and str(sql).lstrip().upper().startswith(WRITES):
            self.wrote = True
        return execute(sql, params, many, context)


class _SentTwice(Exception):
    pass


def _htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _token(request: HttpRequest) -> str | None:
    if request.method != "POST":
        return None
    value = request.POST.get(FIELD, "")
    return value if TOKEN.fullmatch(value) else None


def _answered_before(request: HttpRequest, earlier: FormSubmission) -> HttpResponse:
    if _htmx(request):
        return HttpResponse(status=204)
    messages.info(request, ALREADY_SAVED)
    return redirect(earlier.location)


def sent_once(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        token = _token(request)
        if token is None:
            return view(request, *args, **kwargs)
        earlier = FormSubmission.objects.filter(token=token).first()
        if earlier is not None:
            return _answered_before(request, earlier)
        watch = _WriteWatch()
        try:
            with transaction.atomic():
                with connection.execute_wrapper(watch):
                    response = view(request, *args, **kwargs)
                location = response.get("Location", "")
                sent_on = response.status_code in (301, 302, 303) and location
                swapped = _htmx(request) and 200 <= response.status_code < 300
                if watch.wrote and (sent_on or swapped):
                    location = location or request.path
                    try:
                        with transaction.atomic():
                            FormSubmission.objects.create(token=token, location=location[:400])
                    except IntegrityError:
                        raise _SentTwice from None  # undoes what this copy saved
        except _SentTwice:
            return _answered_before(request, FormSubmission.objects.get(token=token))
        return response

    return wrapped
