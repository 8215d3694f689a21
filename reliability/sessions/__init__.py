"""Session engines that let a database or cache outage answer as one.

- `reliability.sessions.db` (without Redis) and `reliability.sessions.cached_db` (with
  it) are Django's engines of those names, except that a session that could not be saved
  because the database was unreachable fails the request as the outage it is (a 503,
  reliability/errors.py), not as Django's 400 "session was deleted before the request
  completed", which Django's engines answer for any database error on saving.
- `cached_db` also keeps each session in the cache for at most CACHED_FOR (see there).
"""

from typing import Any

from django.contrib.sessions.backends.base import UpdateError

from reliability.errors import database_unavailable


class SavesOrFailsAsAnOutage:
    def save(self, must_create: bool = False) -> None:
        try:
            super().save(must_create)  # type: ignore[misc]
        except UpdateError as error:
            outage = error.__context__
            if database_unavailable(outage):
                raise outage from None
            raise

    async def asave(self, must_create: bool = False) -> Any:
        try:
            return await super().asave(must_create)  # type: ignore[misc]
        except UpdateError as error:
            outage = error.__context__
            if database_unavailable(outage):
                raise outage from None
            raise
