"""The journal's models: filtering and the latest place."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from journal.models import Entry, Region, Side, Trigger
from tests.journal.factories import EntryFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def notes_of(entries) -> set[str]:
    return set(entries.values_list("notes", flat=True))


def test_for_user_only_returns_that_persons_entries(person, other_person):
    EntryFactory(user=person, notes="mine")
    EntryFactory(user=other_person, notes="theirs")
    assert notes_of(Entry.objects.for_user(person)) == {"mine"}


def test_filtering_by_region_and_time(person):
    EntryFactory(user=person, region=Region.CALF, occurred_at=NOW, notes="calf now")
    EntryFactory(user=person, region=Region.EYELID, occurred_at=NOW, notes="eyelid now")
    EntryFactory(
        user=person, region=Region.CALF, occurred_at=NOW - timedelta(days=3), notes="calf old"
    )
    mine = Entry.objects.for_user(person)
    assert notes_of(mine.filtered(region=Region.CALF)) == {"calf now", "calf old"}
    assert notes_of(mine.filtered(since=NOW - timedelta(days=1))) == {"calf now", "eyelid now"}
    assert notes_of(mine.filtered(before=NOW)) == {"calf old"}


@pytest.mark.parametrize(
    ("trigger", "matching", "other"),
    [
        (Trigger.CAFFEINE, {"caffeine_cups": 3}, {"caffeine_cups": 2}),
        (Trigger.SHORT_SLEEP, {"sleep_hours": Decimal("6.5")}, {"sleep_hours": Decimal("7")}),
        (Trigger.STRESS, {"stress": 4}, {"stress": 3}),
        (Trigger.EXERCISE, {"hard_exercise": True}, {"hard_exercise": None}),
        (Trigger.WEAKNESS_NUMBNESS, {"numbness": True}, {"cramp": True}),
    ],
)
def test_each_trigger_filter_keeps_only_matching_entries(person, trigger, matching, other):
    EntryFactory(user=person, notes="match", **matching)
    EntryFactory(user=person, notes="other", **other)
    assert notes_of(Entry.objects.for_user(person).filtered(trigger=trigger)) == {"match"}


def test_last_place_is_the_latest_entrys_region_and_side(person):
    assert Entry.objects.for_user(person).last_place() is None
    EntryFactory(user=person, region=Region.HAND, side=Side.RIGHT, occurred_at=NOW)
    EntryFactory(user=person, region=Region.EYELID, occurred_at=NOW - timedelta(days=1))
    assert Entry.objects.for_user(person).last_place() == ("hand", "right")
