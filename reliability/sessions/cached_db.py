"""Sessions kept in the database and read through the shared cache, which may be down.

Django's cached_db engine, with the cache set to treat an unreachable Redis as an empty
one (settings: IGNORE_EXCEPTIONS), so each session is read from the database while Redis
is down. Two things change. A save that fails because the database is unreachable fails
as an outage (see reliability.sessions). And a session stays in the cache for at most
CACHED_FOR: signing out deletes the session from the database and from the cache, and if
Redis could not be reached just then, its copy would outlive the sign-out once Redis is
back (a Redis restarted from a snapshot, or one that was only out of reach); so no copy
lives long, and at worst it opens the session for CACHED_FOR after a sign-out made while
Redis was unreachable. Each active session is read from the database about once in
CACHED_FOR, which costs nothing worth counting.
"""

from typing import Any

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore

from reliability.sessions import SavesOrFailsAsAnOutage

CACHED_FOR = 5 * 60


class _ShortLived:
    """The cache, with every session kept for at most CACHED_FOR seconds."""

    def __init__(self, cache: Any) -> None:
        self._cache = cache

    def set(self, key: str, value: Any, timeout: float | None = None, **kwargs: Any) -> Any:
        return self._cache.set(key, value, _capped(timeout), **kwargs)

    async def aset(self, key: str, value: Any, timeout: float | None = None, **kwargs: Any) -> Any:
        return await self._cache.aset(key, value, _capped(timeout), **kwargs)

    def __contains__(self, key: str) -> bool:
        return key in self._cache

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cache, name)


def _capped(timeout: float | None) -> float:
    return CACHED_FOR if timeout is None else min(timeout, CACHED_FOR)


class SessionStore(SavesOrFailsAsAnOutage, CachedDBStore):
    def __init__(self, session_key: str | None = None) -> None:
        super().__init__(session_key)
        self._cache = _ShortLived(self._cache)
