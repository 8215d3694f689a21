"""`migrate`, which first takes over the user model on a database made before the
accounts app had it.

accounts' first migration only records that the user model (and the throttle counts)
now belong here; their tables stay as the journal made them. On a database the journal
already migrated, every migration pointing at the user model (the admin's, the journal's)
now depends on that first migration, so Django would refuse to start until it is
recorded as applied. Recording it changes no table, exactly as applying it would.
"""

from django.core.management.commands import migrate
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder

MADE_BY_THE_JOURNAL = ("journal", "0001_initial")
TAKEN_OVER = ("accounts", "0001_initial")


def take_over_the_journal_s_user_model(connection: BaseDatabaseWrapper) -> bool:
    """Record accounts' state-only first migration as applied where the journal made the
    user table before the move; True if it did."""
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return False
    applied = recorder.applied_migrations()
    if MADE_BY_THE_JOURNAL not in applied or TAKEN_OVER in applied:
        return False
    recorder.record_applied(*TAKEN_OVER)
    return True


class Command(migrate.Command):
    def handle(self, *args, **options):
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if take_over_the_journal_s_user_model(connection) and options["verbosity"] >= 1:
            self.stdout.write("Recorded accounts.0001_initial: the user model moved from journal.")
        return super().handle(*args, **options)
