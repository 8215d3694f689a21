"""A database that cannot be reached for a moment answers a calm 503, not the 500 page.

PostgreSQL restarting, a connection dropped, SQLite still locked after its busy timeout:
the request could not be answered now but will be in a moment, so it answers 503
"Try again in a minute" with Retry-After. Every write is in a transaction (each of the
site's writes is `transaction.atomic`), so a request that failed part-way saved nothing,
and the forms that add something carry a one-time token (`reliability.once`), so sending
one again after a 503 saves it once.

`config.urls` names `server_error` as Django's 500 handler: Django calls it for any
exception a view or middleware did not handle, inside the `except` block, so the
exception is at hand. Any other exception answers the usual 500 page.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views import defaults

RETRY_AFTER_SECONDS = 60
# SQLite's OperationalError also means mistakes in the SQL ("no such table"); only these
# say the database is busy or out of reach for now.
SQLITE_UNAVAILABLE = ("locked", "busy", "unable to open", "disk i/o")


def database_unavailable(error: BaseException | None) -> bool:
    """Whether `error` (or what caused it) says the database cannot be reached for now."""
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, InterfaceError):
            return True
        if isinstance(error, OperationalError):
            cause = error.__cause__
            if cause is not None and type(cause).__module__.startswith("sqlite3"):
                return any(words in str(cause).lower() for words in SQLITE_UNAVAILABLE)
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def unavailable_response() -> HttpResponse:
    """The 503 page. It reads nothing from the database (no session, no person) and is
    drawn like the 500 page, without the request's context."""
    body = loader.get_template("503.html").render()
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    if database_unavailable(sys.exc_info()[1]):
        return unavailable_response()
    return defaults.server_error(request)
