"""Django's database sessions, failing as an outage when the database cannot be reached."""

from django.contrib.sessions.backends.db import SessionStore as DBStore

from reliability.sessions import SavesOrFailsAsAnOutage


class SessionStore(SavesOrFailsAsAnOutage, DBStore):
    pass
