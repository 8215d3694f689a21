"""Form validation: clear messages for bad input, and nothing typed is lost."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.models import User
from journal.forms import CheckInForm, EntryForm, FilterForm, QuickAddForm
from journal.models import Entry
from tests.journal.factories import EntryFactory

pytestmark = pytest.mark.django_db


def entry_data(**changes) -> dict:
    data = {
        "occurred_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "region": "calf",
        "side": "left",
        "duration": "minutes",
        "intensity": "3",
        "notes": "After a run",
    }
    return data | changes


def check_in_data(**changes) -> dict:
    data = {
        "bother": "4",
        "caffeine_cups": "2",
        "sleep_hours": "7.5",
        "stress": "2",
        "hard_exercise": "True",
        "water_litres": "1.5",
        "new_medicine": "",
    }
    return data | changes


def test_a_full_entry_is_valid():
    form = EntryForm(entry_data(weakness="on"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["weakness"] is True


def test_an_entry_asks_only_about_the_twitch():
    assert "caffeine_cups" not in EntryForm().fields
    assert "sleep_hours" not in EntryForm().fields


def test_a_full_check_in_is_valid():
    form = CheckInForm(check_in_data())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["hard_exercise"] is True
    assert form.cleaned_data["new_medicine"] is None
    assert form.cleaned_data["bother"] == 4


def test_only_the_twitch_itself_is_needed():
    data = {k: v for k, v in entry_data().items() if k in {"occurred_at", "region", "side"}}
    form = EntryForm(data | {"duration": "seconds", "intensity": "1"})
    assert form.is_valid(), form.errors


def test_a_time_in_the_future_is_refused():
    later = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    form = EntryForm(entry_data(occurred_at=later))
    assert form.errors["occurred_at"] == ["The date of the twitch must be today or in the past."]


def test_sleep_over_24_hours_is_refused_with_a_clear_message():
    form = CheckInForm(check_in_data(sleep_hours="25"))
    assert form.errors["sleep_hours"] == ["Enter hours of sleep from 0 to 24 hours."]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("caffeine_cups", "9" * 400),
        ("caffeine_cups", "-1"),
        ("caffeine_cups", "two"),
        ("sleep_hours", "1e309"),
        ("sleep_hours", "NaN"),
        ("sleep_hours", "7.25"),
        ("water_litres", "999"),
        ("stress", "6"),
        ("bother", "11"),
        ("bother", "-1"),
    ],
)
def test_a_bad_check_in_answer_gets_a_message_beside_the_field(field, value):
    form = CheckInForm(check_in_data(**{field: value}))
    assert not form.is_valid()
    assert form.errors[field][0]
    assert form[field].value() == value


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("intensity", "0"),
        ("region", "<script>alert(1)</script>"),
        ("side", "'; DROP TABLE journal_entry; --"),
        ("occurred_at", "2026-02-30T10:00"),
        ("occurred_at", "1066-10-14T09:00"),
        ("notes", "x" * 2001),
    ],
)
def test_hostile_and_out_of_range_input_gets_a_message_beside_the_field(field, value):
    form = EntryForm(entry_data(**{field: value}))
    assert not form.is_valid()
    assert form.errors[field][0]
    if field == "occurred_at":  # typed as one value, kept as the date input's boxes
        year, month, day, time = re.split(r"[-T]", value)
        assert form[field].value() == [day, month, year, time]
    else:
        assert form[field].value() == value


def test_the_time_defaults_to_now_in_the_persons_time_zone():
    with timezone.override(ZoneInfo("Asia/Tokyo")):
        initial = EntryForm().initial["occurred_at"]
    assert initial.tzinfo.key == "Asia/Tokyo"
    assert abs(initial - timezone.now()) < timedelta(minutes=1)


def test_a_typed_time_is_read_in_the_persons_time_zone():
    with timezone.override(ZoneInfo("America/New_York")):
        form = EntryForm(entry_data(occurred_at="2026-01-10T09:00"))
        assert form.is_valid(), form.errors
    assert form.cleaned_data["occurred_at"].astimezone(ZoneInfo("UTC")).hour == 14


def test_filters_report_bad_dates_and_keep_the_good_ones():
    form = FilterForm({"region": "calf", "date_from": "2026-02-30", "trigger": "nope"})
    assert not form.is_valid()
    filters = form.filters(ZoneInfo("Europe/London"))
    assert filters == {
        "region": "calf",
        "trigger": "",
        "since": None,
        "before": None,
        "tz": ZoneInfo("Europe/London"),
    }


def test_filter_dates_cover_whole_local_days():
    form = FilterForm({"date_from": "2026-07-01", "date_to": "2026-07-01"})
    assert form.is_valid()
    filters = form.filters(ZoneInfo("Europe/London"))
    assert filters["since"].isoformat() == "2026-07-01T00:00:00+01:00"
    assert filters["before"].isoformat() == "2026-07-02T00:00:00+01:00"


def test_an_end_date_before_the_start_date_is_refused():
    form = FilterForm({"date_from": "2026-07-02", "date_to": "2026-07-01"})
    assert form.errors["date_to"] == ["The end date must be on or after the start date."]


def test_a_new_entry_belongs_to_the_person_who_wrote_it(person):
    form = EntryForm(entry_data(region="hand", numbness="on"))
    assert form.is_valid(), form.errors
    form.instance.user = person
    entry = form.save()
    assert Entry.objects.get() == entry
    assert (entry.user, entry.region, entry.numbness, entry.notes) == (
        person,
        "hand",
        True,
        "After a run",
    )


def test_an_edit_changes_only_what_a_person_records(person, other_person):
    entry = EntryFactory(user=person, region="calf")
    form = EntryForm(entry_data(region="foot", user=str(other_person.pk)), instance=entry)
    assert form.is_valid(), form.errors
    form.save()
    entry.refresh_from_db()
    assert (entry.user, entry.region) == (person, "foot")


def test_quick_add_logs_a_twitch_now(person):
    before = timezone.now()
    form = QuickAddForm({"region": "eyelid", "side": "left"})
    assert form.is_valid(), form.errors
    form.instance.user = person
    entry = form.save()
    assert entry.user == person
    assert entry.occurred_at >= before
    assert (entry.region, entry.side, entry.duration) == ("eyelid", "left", "seconds")
    assert User.objects.get().entries.get() == entry
