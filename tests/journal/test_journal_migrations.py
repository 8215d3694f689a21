"""Moving the day factors from twitch entries to daily check-ins keeps every answer.

A database is built as the code before the move built it, filled with entries that carry
day factors, then migrated forward as a deploy does.
"""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import User
from journal.models import CheckIn, Entry

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("journal", "0012_saved_check_created_at_default")]
AFTER = [("journal", "0013_check_ins")]


def fill(old) -> None:
    """Two people's entries as they were: in Tokyo (UTC+9), 20:00 and 23:30 UTC on 20
    November are both 21 November there."""
    people = old.get_model("accounts", "User").objects
    ana = people.create(email="ana@example.com", time_zone="Asia/Tokyo")
    ben = people.create(email="ben@example.com", time_zone="Europe/London")
    entries = old.get_model("journal", "Entry").objects
    twitch = {"region": "calf", "side": "left", "duration": "seconds"}
    entries.create(
        user=ana,
        occurred_at=datetime(2026, 11, 20, 20, 0, tzinfo=UTC),
        caffeine_cups=2,
        sleep_hours=Decimal("7.5"),
        stress=1,
        hard_exercise=False,
        **twitch,
    )
    entries.create(
        user=ana,
        occurred_at=datetime(2026, 11, 20, 23, 30, tzinfo=UTC),
        caffeine_cups=4,
        sleep_hours=Decimal("6.0"),
        hard_exercise=True,
        water_litres=Decimal("2.0"),
        **twitch,
    )
    entries.create(
        user=ana, occurred_at=datetime(2026, 11, 22, 9, 0, tzinfo=UTC), stress=5, **twitch
    )
    entries.create(user=ben, occurred_at=datetime(2026, 11, 22, 9, 0, tzinfo=UTC), **twitch)


@pytest.fixture
def before_the_move():
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        fill(MigrationExecutor(connection).loader.project_state(BEFORE).apps)
        yield
    finally:
        call_command("migrate", interactive=False, verbosity=0)


def test_each_local_day_with_day_factors_becomes_one_check_in(before_the_move):
    call_command("migrate", "journal", "0013", interactive=False, verbosity=0)

    ana = User.objects.get(email="ana@example.com")
    assert Entry.objects.count() == 4
    merged, stressed = CheckIn.objects.for_user(ana).order_by("day")
    assert merged.day == date(2026, 11, 21)
    assert (
        merged.caffeine_cups,
        merged.sleep_hours,
        merged.stress,
        merged.hard_exercise,
        merged.water_litres,
        merged.bother,
    ) == (4, Decimal("6.0"), 1, True, Decimal("2.0"), None)
    assert (stressed.day, stressed.stress, stressed.caffeine_cups) == (date(2026, 11, 22), 5, None)
    assert not CheckIn.objects.filter(user__email="ben@example.com").exists()


def test_going_back_puts_each_check_in_on_its_day_s_entries(before_the_move):
    call_command("migrate", "journal", "0013", interactive=False, verbosity=0)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    rows = (
        old.get_model("journal", "Entry")
        .objects.filter(user__email="ana@example.com")
        .order_by("occurred_at")
        .values_list("caffeine_cups", "stress")
    )
    assert list(rows) == [(4, 1), (4, 1), (None, 5)]
