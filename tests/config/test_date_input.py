"""GOV.UK's date input (config/forms.py), as people meet it: the journal entry's "When" and
the doctor report's dates. A wrong date is named, its boxes marked, and nothing typed is lost."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from journal.models import Entry
from tests.page_text import visible_text

pytestmark = pytest.mark.django_db


def when(day: str, month: str, year: str, time: str = "08:30") -> dict:
    return {
        "occurred_at_day": day,
        "occurred_at_month": month,
        "occurred_at_year": year,
        "occurred_at_time": time,
    }


def new_entry(client, **parts: str):
    data = {
        "region": "calf",
        "side": "left",
        "duration": "seconds",
        "intensity": "2",
        "notes": "After a long walk",
    }
    return client.post("/journal/entries/new/", data | parts)


def marked_boxes(html: str) -> set[str]:
    """The date input's boxes drawn with GOV.UK's error border."""
    return set(re.findall(r'govuk-input--error" id="id_[a-z_]+_\d" name="[a-z_]+_(\w+)"', html))


def test_the_entry_form_asks_for_the_day_month_year_and_time_in_text_boxes(person_client):
    html = person_client.get("/journal/entries/new/").content.decode()
    assert 'type="datetime-local"' not in html
    assert '<div class="govuk-date-input" id="id_occurred_at">' in html
    for part in ("Day", "Month", "Year", "Time"):
        assert f">{part}</label>" in html
    assert html.count('inputmode="numeric"') >= 4


def test_a_date_and_time_typed_in_the_boxes_is_saved(person_client, person):
    yesterday = timezone.localdate() - timedelta(days=1)
    response = new_entry(
        person_client, **when(str(yesterday.day), str(yesterday.month), str(yesterday.year), "0905")
    )
    assert response.status_code == 302
    saved = timezone.localtime(Entry.objects.get(user=person).occurred_at)
    assert (saved.date(), f"{saved:%H:%M}") == (yesterday, "09:05")


@pytest.mark.parametrize(
    ("parts", "message", "marked"),
    [
        (when("30", "2", "2026"), "The date of the twitch must be a real date.", {"day"}),
        (when("12", "13", "2026"), "The date of the twitch must be a real date.", {"month"}),
        (when("1", "", "2026"), "The date of the twitch must include a month.", {"month"}),
        (
            when("", "", "2026"),
            "The date of the twitch must include a day and month.",
            {"day", "month"},
        ),
        (when("1", "2", "26"), "The year must include 4 numbers, like 2026.", {"year"}),
        (when("x", "2", "2026"), "The date of the twitch must be a real date.", {"day"}),
        (
            when("1", "2", "2026", "25:00"),
            "Enter the time as hours and minutes, like 08:30 or 14:05.",
            {"time"},
        ),
        (
            when("", "", "", ""),
            "Enter when the twitch happened.",
            {"day", "month", "year", "time"},
        ),
    ],
    ids=[
        "30 February",
        "month 13",
        "no month",
        "no day or month",
        "2-digit year",
        "letters",
        "25 o'clock",
        "nothing",
    ],
)
def test_a_wrong_date_is_named_and_its_boxes_marked(person_client, parts, message, marked):
    response = new_entry(person_client, **parts)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in visible_text(html)
    assert marked_boxes(html) == marked
    assert Entry.objects.count() == 0


def test_a_future_date_must_be_today_or_in_the_past(person_client):
    tomorrow = timezone.localdate() + timedelta(days=1)
    html = new_entry(
        person_client, **when(str(tomorrow.day), str(tomorrow.month), str(tomorrow.year))
    ).content.decode()
    assert "The date of the twitch must be today or in the past." in visible_text(html)
    assert marked_boxes(html) == {"day", "month", "year"}


def test_bad_input_keeps_everything_typed_and_the_summary_links_to_the_wrong_box(person_client):
    html = new_entry(person_client, **when("30", "2", "2026", "14:05")).content.decode()
    for value in ("30", "2", "2026", "14:05", "After a long walk"):
        assert f'value="{value}"' in html or f">{value}</textarea>" in html.replace("\n", "")
    assert '<a href="#id_occurred_at_0">' in html
    assert '<fieldset class="govuk-fieldset" role="group" aria-describedby="' in html


def test_the_report_asks_for_its_dates_as_day_month_and_year(person_client):
    html = person_client.get("/journal/report/").content.decode()
    assert 'type="date"' not in html
    for name in ("from", "to"):
        for part in ("day", "month", "year"):
            assert f'name="{name}_{part}"' in html
    today = timezone.localdate()
    assert f'name="to_year" type="text" inputmode="numeric" value="{today.year}"' in html


def test_the_report_shows_the_dates_typed_in_the_boxes(person_client):
    query = "from_day=1&from_month=3&from_year=2026&to_day=31&to_month=3&to_year=2026"
    html = person_client.get(f"/journal/report/?{query}").content.decode()
    assert "1 March 2026 to 31 March 2026" in visible_text(html)
    assert 'href="/journal/report.pdf?from=2026-03-01&amp;to=2026-03-31"' in html


def test_a_bookmarked_report_address_with_whole_dates_still_works(person_client):
    html = person_client.get("/journal/report/?from=2026-03-01&to=2026-03-31").content.decode()
    assert "1 March 2026 to 31 March 2026" in visible_text(html)
    assert 'name="from_day" type="text" inputmode="numeric" value="01"' in html


def test_a_wrong_report_date_is_named_and_the_other_kept(person_client):
    query = "from_day=30&from_month=2&from_year=2026&to_day=31&to_month=3&to_year=2026"
    html = person_client.get(f"/journal/report/?{query}").content.decode()
    text = visible_text(html)
    assert "The first day of the report must be a real date." in text
    assert "Until the dates are fixed, this report shows the last 28 days." in text
    assert marked_boxes(html) == {"day"}
    assert 'name="to_day" type="text" inputmode="numeric" value="31"' in html


def test_report_dates_the_wrong_way_round_mark_the_last_date(person_client):
    query = "from_day=20&from_month=3&from_year=2026&to_day=1&to_month=3&to_year=2026"
    html = person_client.get(f"/journal/report/?{query}").content.decode()
    assert "The end date must be on or after the start date." in visible_text(html)
    assert '<a href="#id_to_0">' in html
