"""Moving the user model from the journal to accounts keeps every row, password and link.

A database is built as the code before the move built it (AUTH_USER_MODEL was
"journal.User"), filled with a person and their journal, then migrated forward as a
deploy does; everything must still be there, and the person can still sign in.
"""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client, override_settings

from accounts.management.commands.migrate import take_over_the_journal_s_user_model
from accounts.models import ThrottleHit, User
from journal.models import Entry, JournalImport, Plan, PlanCheck, SavedCheck
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

LAST_BEFORE_THE_MOVE = ("journal", "0010_entry_numbness_label")
WHEN = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def forget_migration_modules() -> None:
    """Let the next migration loader import every migration again: each reads
    AUTH_USER_MODEL when it is imported."""
    prefixes = tuple(f"{config.name}.migrations." for config in apps.get_app_configs())
    for name in [name for name in sys.modules if name.startswith(prefixes)]:
        del sys.modules[name]


@contextmanager
def the_user_model_of_before_the_move() -> Iterator[None]:
    with override_settings(AUTH_USER_MODEL="journal.User"):
        forget_migration_modules()
        try:
            yield
        finally:
            forget_migration_modules()


def build_the_database_as_before_the_move() -> None:
    """Unmake what depends on accounts, then migrate as the old code did, with the user
    model still the journal's, to the newest migrations of that time."""
    MigrationExecutor(connection).migrate([("accounts", None)])
    with the_user_model_of_before_the_move():
        executor = MigrationExecutor(connection)
        targets = [
            LAST_BEFORE_THE_MOVE if app == "journal" else (app, name)
            for app, name in executor.loader.graph.leaf_nodes()
            if app != "accounts"
        ]
        executor.migrate(targets)
        fill(executor.loader.project_state(targets).apps)
    applied = MigrationRecorder(connection).applied_migrations()
    assert ("accounts", "0001_initial") not in applied
    assert ("journal", "0011_move_user_to_accounts") not in applied


def fill(old) -> None:
    """A person, their journal, their access and a throttle count, through the models as
    they were then."""
    person = old.get_model("journal", "User").objects.create(
        email="ana@example.com", password=make_password(PASSWORD), time_zone="Asia/Tokyo"
    )
    journal = {name: old.get_model("journal", name) for name in ("Entry", "SavedCheck", "Plan")}
    journal["Entry"].objects.create(
        user=person, occurred_at=WHEN, region="calf", side="left", duration="seconds"
    )
    journal["SavedCheck"].objects.create(
        user=person, answers={"area": "eyelid"}, level="self_care", ruleset_version="1"
    )
    plan = journal["Plan"].objects.create(user=person, started_on=date(2026, 11, 1))
    old.get_model("journal", "PlanCheck").objects.create(
        plan=plan, day=date(2026, 11, 2), step_id="sleep"
    )
    old.get_model("journal", "JournalImport").objects.create(user=person, status="done", added=1)
    old.get_model("journal", "ThrottleHit").objects.create(scope="import", key="k", at=WHEN)
    content_types = old.get_model("contenttypes", "ContentType").objects
    # As before the move: no content type of accounts' yet, but the journal's user.
    content_types.filter(app_label="accounts").delete()
    content_type, _ = content_types.get_or_create(app_label="journal", model="user")
    permission, _ = old.get_model("auth", "Permission").objects.get_or_create(
        content_type=content_type, codename="change_user", defaults={"name": "Can change user"}
    )
    person.user_permissions.add(permission)
    person.groups.add(old.get_model("auth", "Group").objects.create(name="Readers"))
    old.get_model("admin", "LogEntry").objects.create(
        user=person,
        content_type=content_type,
        object_id=str(person.pk),
        object_repr="ana@example.com",
        action_flag=2,
    )


def migrate_forward_with_the_executor() -> None:
    take_over_the_journal_s_user_model(connection)
    executor = MigrationExecutor(connection)
    executor.loader.check_consistent_history(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def migrate_forward_as_a_deploy_does() -> None:
    call_command("migrate", interactive=False, verbosity=0)


@pytest.fixture
def moved():
    """The database as before the move, filled, and the stored password hash."""
    ContentType.objects.clear_cache()
    try:
        build_the_database_as_before_the_move()
        with connection.cursor() as cursor:
            cursor.execute("SELECT password FROM journal_user")
            (password_hash,) = cursor.fetchone()
        yield password_hash
    finally:
        migrate_forward_with_the_executor()  # whatever happened, as the other tests expect
        ContentType.objects.clear_cache()


@pytest.mark.parametrize(
    "migrate_forward", [migrate_forward_with_the_executor, migrate_forward_as_a_deploy_does]
)
def test_moving_the_user_model_keeps_every_row_password_and_link(moved, migrate_forward):
    migrate_forward()

    person = User.objects.get()
    assert (person.email, person.time_zone, person.password) == (
        "ana@example.com",
        "Asia/Tokyo",
        moved,
    )
    assert ModelBackend().authenticate(None, username="ANA@example.com", password=PASSWORD)
    for model in (Entry, SavedCheck, Plan, JournalImport):
        assert model.objects.get().user == person
    assert PlanCheck.objects.get().plan.user == person
    assert ThrottleHit.objects.count() == 1
    assert list(person.groups.all()) == list(Group.objects.filter(name="Readers"))
    assert person.has_perm("accounts.change_user")
    assert ContentType.objects.get_for_model(User).app_label == "accounts"
    assert LogEntry.objects.get().user == person
    client = Client()
    response = client.post("/journal/sign-in/", {"username": person.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/journal/").status_code == 200

    person.delete_account()
    for model in (User, Entry, SavedCheck, Plan, PlanCheck, JournalImport, LogEntry):
        assert not model.objects.exists(), model


def test_a_new_database_needs_nothing_taken_over():
    assert not take_over_the_journal_s_user_model(connection)
