"""The journal's models: each person's own records, filtered, and what they do."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from journal.models import CheckIn, Entry, Plan, PlanCheck, Region, SavedCheck, Side, Trigger
from tests.accounts.factories import UserFactory
from tests.journal.factories import CheckInFactory, EntryFactory, SavedCheckFactory
from triage.engine import assess

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
CHECK_IN_DEFAULTS = {"caffeine_cups": None, "sleep_hours": None, "stress": None}


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
    ],
)
def test_a_day_factor_trigger_keeps_the_entries_of_days_whose_check_in_matches(
    person, other_person, trigger, matching, other
):
    london = person.zone
    for day, fields in ((date(2026, 11, 20), matching), (date(2026, 11, 19), other)):
        CheckInFactory(user=person, day=day, **CHECK_IN_DEFAULTS | fields)
    CheckInFactory(user=other_person, day=date(2026, 11, 19), **CHECK_IN_DEFAULTS | matching)
    EntryFactory(user=person, notes="match", occurred_at=NOW)
    EntryFactory(user=person, notes="other", occurred_at=NOW - timedelta(days=1))
    EntryFactory(user=person, notes="no check-in", occurred_at=NOW - timedelta(days=2))
    found = Entry.objects.for_user(person).filtered(trigger=trigger, tz=london)
    assert notes_of(found) == {"match"}


def test_the_weakness_or_numbness_filter_keeps_entries_with_either(person):
    EntryFactory(user=person, notes="numb", numbness=True)
    EntryFactory(user=person, notes="weak", weakness=True)
    EntryFactory(user=person, notes="cramp", cramp=True)
    found = Entry.objects.for_user(person).filtered(trigger=Trigger.WEAKNESS_NUMBNESS)
    assert notes_of(found) == {"numb", "weak"}


def test_a_check_in_is_one_a_day_and_found_for_its_owner_only(person, other_person):
    mine = CheckInFactory(user=person, day=date(2026, 11, 20))
    CheckInFactory(user=other_person, day=date(2026, 11, 20))
    assert CheckIn.objects.for_day(person, date(2026, 11, 20)) == mine
    new = CheckIn.objects.for_day(person, date(2026, 11, 21))
    assert (new.pk, new.user, new.day) == (None, person, date(2026, 11, 21))
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckInFactory(user=person, day=date(2026, 11, 20))
    person.delete()
    assert CheckIn.objects.count() == 1


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
    CheckInFactory(user=ana)
    for model in (Entry, CheckIn, SavedCheck, Plan, PlanCheck):
        assert model.objects.for_user(ana).count() == 1
        assert model.objects.for_user(ben).count() == 0


def test_the_timeline_is_the_person_s_entries_newest_first_and_filtered(ana, ben):
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    older = EntryFactory(user=ana, occurred_at=now - timedelta(days=2), region=Region.EYELID)
    newer = EntryFactory(user=ana, occurred_at=now, region=Region.CALF)
    EntryFactory(user=ben, occurred_at=now)
    mine = Entry.objects.for_user(ana)
    assert list(mine.filtered()) == [newer, older]
    assert list(mine.filtered(region=Region.EYELID)) == [older]
    assert list(mine.filtered(since=now - timedelta(days=1))) == [newer]


def test_entries_between_two_dates_cover_whole_local_days(ben):
    tokyo = UserFactory(time_zone="Asia/Tokyo")
    # 23:30 UTC on the 19th is 08:30 on the 20th in Tokyo.
    inside = EntryFactory(user=tokyo, occurred_at=datetime(2026, 11, 19, 23, 30, tzinfo=UTC))
    EntryFactory(user=tokyo, occurred_at=datetime(2026, 11, 19, 14, 30, tzinfo=UTC))
    EntryFactory(user=ben, occurred_at=datetime(2026, 11, 20, 3, 0, tzinfo=UTC))
    day = date(2026, 11, 20)
    on_the_day = Entry.objects.for_user(tokyo).on_days(day, day, tokyo.zone)
    assert list(on_the_day) == [inside]


def test_the_usual_place_is_the_latest_entry_s_or_the_left_calf_at_first(ana, ben):
    assert Entry.objects.for_user(ana).usual_place() == {"region": "calf", "side": "left"}
    EntryFactory(user=ana, region=Region.HAND, side=Side.RIGHT)
    EntryFactory(user=ben, region=Region.EYELID, side=Side.BOTH)
    assert Entry.objects.for_user(ana).usual_place() == {"region": "hand", "side": "right"}


def test_saved_results_are_the_person_s_newest_first_and_can_stop_at_a_time(ana, ben):
    first, second = SavedCheckFactory(user=ana), SavedCheckFactory(user=ana)
    SavedCheckFactory(user=ben)
    assert list(SavedCheck.objects.for_user(ana)) == [second, first]
    SavedCheck.objects.filter(pk=first.pk).update(created_at=datetime(2026, 1, 1, tzinfo=UTC))
    before = datetime(2026, 2, 1, tzinfo=UTC)
    assert list(SavedCheck.objects.for_user(ana).filter(created_at__lt=before)) == [first]


def test_the_current_plan_is_the_person_s_newest(ana, ben):
    today = date(2026, 11, 25)
    assert Plan.objects.for_user(ana).current(today) is None
    Plan.objects.create(user=ana, started_on=date(2026, 10, 1))
    newest = Plan.objects.create(user=ana, started_on=date(2026, 11, 1))
    Plan.objects.create(user=ben, started_on=date(2026, 11, 20))
    assert Plan.objects.for_user(ana).current(today) == newest


def test_a_plan_dated_after_today_gives_way_to_one_begun(ana):
    today = date(2026, 11, 25)
    upcoming = Plan.objects.create(user=ana, started_on=today + timedelta(days=1))
    assert Plan.objects.for_user(ana).current(today) == upcoming
    begun = Plan.objects.create(user=ana, started_on=today)
    assert Plan.objects.for_user(ana).current(today) == begun


def test_a_saved_result_keeps_the_answers_level_and_rules_version(ana):
    answers = {"emergency_signs": "no", "area": "eyelid", "eyelid_duration": "over_2_weeks"}
    assessment = assess(answers)
    check = SavedCheck.objects.save_result(ana, answers, assessment)
    assert check.user == ana
    assert check.answers == answers
    assert (check.level, check.ruleset_version) == (
        assessment.level.id,
        assessment.ruleset_version,
    )


def test_a_plan_s_days_hold_exactly_the_steps_ticked(ana):
    plan = Plan.objects.create(user=ana, started_on=date(2026, 11, 1))
    day = date(2026, 11, 2)
    plan.set_steps(day, ["a", "b"])
    plan.set_steps(day, ["b", "c"])
    assert sorted(PlanCheck.objects.values_list("step_id", flat=True)) == ["b", "c"]


def test_ending_a_plan_early_never_ends_it_before_it_began(ana):
    plan = Plan.objects.create(user=ana, started_on=date(2026, 11, 10))
    plan.finish(date(2026, 11, 20))
    assert Plan.objects.get().ended_on == date(2026, 11, 20)
    plan.finish(date(2026, 11, 1))
    assert Plan.objects.get().ended_on == date(2026, 11, 10)
