"""Reads from a journal: each sees only its own person's records."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.http import Http404

from journal import selectors
from journal.models import Entry, Plan, PlanCheck, Region, SavedCheck, Side
from tests.journal.factories import EntryFactory, SavedCheckFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana():
    return UserFactory(time_zone="Europe/London")


@pytest.fixture
def ben():
    return UserFactory()


def test_every_owned_record_is_found_for_its_owner_only(ana, ben):
    EntryFactory(user=ana)
    SavedCheckFactory(user=ana)
    plan = Plan.objects.create(user=ana, started_on=date(2026, 11, 1))
    PlanCheck.objects.create(plan=plan, day=date(2026, 11, 1), step_id="sleep")
    for model in (Entry, SavedCheck, Plan, PlanCheck):
        assert model.objects.for_user(ana).count() == 1
        assert model.objects.for_user(ben).count() == 0


def test_another_person_s_entry_or_saved_result_is_not_found(ana, ben):
    entry, check = EntryFactory(user=ana), SavedCheckFactory(user=ana)
    assert selectors.get_entry(user=ana, pk=entry.pk) == entry
    assert selectors.get_saved_check(user=ana, pk=check.pk) == check
    with pytest.raises(Http404):
        selectors.get_entry(user=ben, pk=entry.pk)
    with pytest.raises(Http404):
        selectors.get_saved_check(user=ben, pk=check.pk)


def test_the_timeline_is_the_person_s_entries_newest_first_and_filtered(ana, ben):
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    older = EntryFactory(user=ana, occurred_at=now - timedelta(days=2), region=Region.EYELID)
    newer = EntryFactory(user=ana, occurred_at=now, region=Region.CALF)
    EntryFactory(user=ben, occurred_at=now)
    assert list(selectors.timeline(user=ana)) == [newer, older]
    assert list(selectors.timeline(user=ana, region=Region.EYELID)) == [older]
    assert list(selectors.timeline(user=ana, since=now - timedelta(days=1))) == [newer]


def test_entries_between_two_dates_cover_whole_local_days(ben):
    tokyo = UserFactory(time_zone="Asia/Tokyo")
    # 23:30 UTC on the 19th is 08:30 on the 20th in Tokyo.
    inside = EntryFactory(user=tokyo, occurred_at=datetime(2026, 11, 19, 23, 30, tzinfo=UTC))
    EntryFactory(user=tokyo, occurred_at=datetime(2026, 11, 19, 14, 30, tzinfo=UTC))
    EntryFactory(user=ben, occurred_at=datetime(2026, 11, 20, 3, 0, tzinfo=UTC))
    day = date(2026, 11, 20)
    assert list(selectors.entries_between(user=tokyo, start=day, end=day)) == [inside]


def test_the_usual_place_is_the_latest_entry_s_or_the_left_calf_at_first(ana, ben):
    assert selectors.usual_place(user=ana) == {"region": Region.CALF, "side": Side.LEFT}
    EntryFactory(user=ana, region=Region.HAND, side=Side.RIGHT)
    EntryFactory(user=ben, region=Region.EYELID, side=Side.BOTH)
    assert selectors.usual_place(user=ana) == {"region": Region.HAND, "side": Side.RIGHT}


def test_saved_results_are_the_person_s_newest_first_and_can_stop_at_a_time(ana, ben):
    first, second = SavedCheckFactory(user=ana), SavedCheckFactory(user=ana)
    SavedCheckFactory(user=ben)
    assert list(selectors.saved_checks(user=ana)) == [second, first]
    SavedCheck.objects.filter(pk=first.pk).update(created_at=datetime(2026, 1, 1, tzinfo=UTC))
    before = datetime(2026, 2, 1, tzinfo=UTC)
    assert list(selectors.saved_checks(user=ana, before=before)) == [first]


def test_the_current_plan_is_the_person_s_newest(ana, ben):
    today = date(2026, 11, 25)
    assert selectors.current_plan(user=ana, today=today) is None
    Plan.objects.create(user=ana, started_on=date(2026, 10, 1))
    newest = Plan.objects.create(user=ana, started_on=date(2026, 11, 1))
    Plan.objects.create(user=ben, started_on=date(2026, 11, 20))
    assert selectors.current_plan(user=ana, today=today) == newest


def test_a_plan_dated_after_today_gives_way_to_one_begun(ana):
    today = date(2026, 11, 25)
    upcoming = Plan.objects.create(user=ana, started_on=today + timedelta(days=1))
    assert selectors.current_plan(user=ana, today=today) == upcoming
    begun = Plan.objects.create(user=ana, started_on=today)
    assert selectors.current_plan(user=ana, today=today) == begun


@pytest.mark.parametrize("module", ["views", "insight_views"])
def test_journal_views_never_filter_by_owner_themselves(module):
    source = (Path(selectors.__file__).parent / f"{module}.py").read_text()
    for owner_filter in (".objects.", "filter(user", "get_object_or_404"):
        assert owner_filter not in source
