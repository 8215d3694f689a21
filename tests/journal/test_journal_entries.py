"""Entries and the timeline: add, edit, delete, quick add, filters, pages and saved results."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from journal.models import Entry, Plan, Region, SavedCheck
from tests.accounts.factories import UserFactory
from tests.journal.factories import CheckInFactory, EntryFactory, SavedCheckFactory
from tests.journal.insights_data import add_entries
from tests.page_text import chosen, visible_text
from triage.engine import get_ruleset

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def new_entry_data(**changes) -> dict:
    when = (timezone.localtime() - timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "occurred_at": when,
        "region": "eyelid",
        "side": "right",
        "duration": "minutes",
        "intensity": "2",
        "notes": "Long day at the screen",
    }
    return data | changes


def test_adding_a_full_entry_shows_it_in_the_timeline(person_client, person):
    response = person_client.post("/journal/entries/new/", new_entry_data(), follow=True)
    html = response.content.decode()
    assert "Your entry is saved." in html
    assert "Eyelid (right), minutes, strength 2 of 5." in html
    assert "Long day at the screen" in html
    assert Entry.objects.get().user == person


def test_the_new_entry_form_starts_at_now(person_client):
    html = person_client.get("/journal/entries/new/").content.decode()
    now = timezone.localtime()
    assert f'name="occurred_at_day" type="text" inputmode="numeric" value="{now.day}"' in html
    assert f'name="occurred_at_time" type="text" inputmode="numeric" value="{now:%H:}' in html


def test_a_bad_entry_shows_messages_beside_fields_and_keeps_what_was_typed(person_client):
    future = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = person_client.post(
        "/journal/entries/new/", new_entry_data(occurred_at=future, intensity="9")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Add an entry – Twitch Check</title>" in html
    assert "The date of the twitch must be today or in the past." in html
    assert "Choose how strong it was, from 1 to 5." in html
    assert 'href="#id_occurred_at_0"' in html
    assert "Long day at the screen" in html
    assert f'value="{future[:4]}"' in html
    assert Entry.objects.count() == 0


def test_editing_an_entry(person_client, person):
    entry = EntryFactory(user=person, region=Region.CALF)
    page = person_client.get(f"/journal/entries/{entry.pk}/edit/").content.decode()
    assert "Edit an entry" in page
    data = new_entry_data(
        region="thigh", occurred_at=f"{timezone.localtime(entry.occurred_at):%Y-%m-%dT%H:%M}"
    )
    response = person_client.post(f"/journal/entries/{entry.pk}/edit/", data)
    assert response["Location"] == "/journal/"
    entry.refresh_from_db()
    assert entry.region == "thigh"


def test_deleting_an_entry_asks_first(person_client, person):
    entry = EntryFactory(user=person)
    page = person_client.get(f"/journal/entries/{entry.pk}/delete/").content.decode()
    assert "Delete this entry?" in page
    assert Entry.objects.filter(pk=entry.pk).exists()
    response = person_client.post(f"/journal/entries/{entry.pk}/delete/", follow=True)
    assert "The entry is deleted." in response.content.decode()
    assert not Entry.objects.filter(pk=entry.pk).exists()


def test_quick_add_suggests_the_left_calf_first_then_the_latest_place(person_client, person):
    html = person_client.get("/journal/").content.decode()
    assert '<option value="calf" selected>' in html
    assert '<option value="left" selected>' in html
    EntryFactory(user=person, region=Region.HAND, side="right")
    html = person_client.get("/journal/").content.decode()
    assert '<option value="hand" selected>' in html
    assert '<option value="right" selected>' in html


def test_quick_add_without_javascript_logs_and_comes_back(person_client, person):
    response = person_client.post(
        "/journal/quick-add/", {"quick-region": "eyelid", "quick-side": "left"}, follow=True
    )
    html = response.content.decode()
    assert response.redirect_chain == [("/journal/", 302)]
    assert "Twitch logged: Eyelid (left)" in html
    entry = Entry.objects.get()
    assert (entry.user, entry.region, entry.side) == (person, "eyelid", "left")


def test_quick_add_with_htmx_returns_the_timeline_and_a_status_message(person_client):
    response = person_client.post(
        "/journal/quick-add/",
        {"quick-region": "calf", "quick-side": "left", "region": "eyelid"},
        headers=HTMX,
    )
    html = response.content.decode()
    assert '<div id="timeline">' in html
    assert "<html" not in html
    assert 'id="quick-add-status" hx-swap-oob="innerHTML"' in html
    assert "Twitch logged: Calf (left)" in html
    assert "No entries match these filters." in html


def test_quick_add_with_a_forged_region_changes_nothing(person_client):
    response = person_client.post(
        "/journal/quick-add/", {"quick-region": "<b>x</b>", "quick-side": "left"}, headers=HTMX
    )
    assert response.headers["HX-Reswap"] == "none"
    assert "Choose an area and a side" in response.content.decode()
    assert Entry.objects.count() == 0


def test_the_timeline_is_newest_first_and_filters_by_region_and_date(person_client, person):
    now = timezone.now()
    EntryFactory(user=person, occurred_at=now - timedelta(days=10), notes="old calf")
    EntryFactory(user=person, occurred_at=now - timedelta(days=1), notes="new calf")
    EntryFactory(user=person, occurred_at=now - timedelta(hours=1), region="eyelid", notes="eye")
    html = person_client.get("/journal/").content.decode()
    assert html.index("eye") < html.index("new calf") < html.index("old calf")
    html = person_client.get("/journal/", {"region": "calf"}).content.decode()
    assert "new calf" in html and "old calf" in html and ">eye<" not in html
    since = (timezone.localdate() - timedelta(days=3)).isoformat()
    html = person_client.get("/journal/", {"date_from": since}).content.decode()
    assert "old calf" not in html and "new calf" in html
    assert "2 entries match your filters." in html


def test_the_trigger_filter(person_client, person):
    today = timezone.localdate()
    CheckInFactory(user=person, day=today, caffeine_cups=4)
    CheckInFactory(user=person, day=today - timedelta(days=1), caffeine_cups=1)
    EntryFactory(user=person, notes="coffee day", occurred_at=timezone.now())
    EntryFactory(user=person, notes="quiet day", occurred_at=timezone.now() - timedelta(days=1))
    html = person_client.get("/journal/", {"trigger": "caffeine"}).content.decode()
    assert "coffee day" in html and "quiet day" not in html


def test_live_filtering_with_htmx_returns_only_the_timeline(person_client, person):
    EntryFactory(user=person, region="neck", notes="neck one")
    response = person_client.get("/journal/", {"region": "neck"}, headers=HTMX)
    html = response.content.decode()
    assert "<html" not in html
    assert "neck one" in html
    assert 'id="timeline-summary" hx-swap-oob="innerHTML">1 entry match your filters.' in html
    assert "HX-Request" in response["Vary"]


def test_pages_of_25_keep_the_filters_in_their_links(person_client, person):
    EntryFactory.create_batch(30, user=person, region="back")
    html = person_client.get("/journal/", {"region": "back"}).content.decode()
    assert visible_text(html).count("Back (left)") == 25
    assert 'href="?region=back&amp;page=2"' in html
    html = person_client.get("/journal/", {"region": "back", "page": "2"}).content.decode()
    assert visible_text(html).count("Back (left)") == 5
    assert "Page 2 of 2" in html


@pytest.mark.parametrize(
    "query",
    [
        {"page": "9999999999999999999999"},
        {"page": "-1"},
        {"page": "<script>"},
        {"region": "<x-hostile>", "trigger": "' OR 1=1 --"},
        {"date_from": "2026-02-30", "date_to": "99999-01-01"},
        {"date_from": "0001-01-01", "date_to": "9999-12-31"},
    ],
)
def test_odd_filters_and_pages_never_fail(person_client, person, query):
    EntryFactory(user=person)
    response = person_client.get("/journal/", query)
    assert response.status_code == 200
    assert "<x-hostile>" not in response.content.decode()


@pytest.mark.parametrize("count", [10, 300])
def test_the_timeline_needs_the_same_few_queries_however_many_entries(
    person_client, person, count, django_assert_max_num_queries
):
    add_entries(person, count)
    SavedCheckFactory.create_batch(3, user=person)
    with django_assert_max_num_queries(9):
        response = person_client.get("/journal/", {"trigger": "stress", "page": "2"})
    assert response.status_code == 200


def test_saved_self_check_results_appear_in_the_history_with_their_level(person_client, person):
    check = SavedCheckFactory(user=person, level="see_doctor")
    html = person_client.get("/journal/").content.decode()
    assert f'href="/journal/checks/{check.pk}/"' in html
    assert f"{get_ruleset().level('see_doctor').label}</a>" in html


def test_a_saved_result_shows_answers_level_and_reasons(person_client, person):
    check = SavedCheckFactory(user=person)
    html = person_client.get(f"/journal/checks/{check.pk}/").content.decode()
    assert "My eyelid, perhaps with other muscles in my face" in html
    assert "This is not a diagnosis." in html
    assert "started 2 weeks ago or less" in html


def test_a_saved_emergency_result_shows_the_emergency_first(person_client, person):
    check = SavedCheckFactory(user=person, answers={"emergency_signs": "yes"}, level="emergency")
    html = person_client.get(f"/journal/checks/{check.pk}/").content.decode()
    text = visible_text(html)
    assert text.index("Emergency signs") < text.index("Your self-check result from")


def test_a_saved_result_with_old_or_odd_answers_still_shows(person_client, person):
    check = SavedCheckFactory(
        user=person, answers={"gone_question": "x", "area": "<b>"}, level="retired_level"
    )
    response = person_client.get(f"/journal/checks/{check.pk}/")
    assert response.status_code == 200
    assert "older version of the self-check" in response.content.decode()


def test_deleting_a_saved_result_asks_first(person_client, person):
    check = SavedCheckFactory(user=person)
    assert (
        "Delete this saved result?"
        in person_client.get(f"/journal/checks/{check.pk}/delete/").content.decode()
    )
    person_client.post(f"/journal/checks/{check.pk}/delete/")
    assert not SavedCheck.objects.exists()


def test_health_data_never_reaches_the_logs(person_client, person, caplog):
    caplog.set_level(logging.DEBUG)
    person_client.post("/journal/entries/new/", new_entry_data(notes="secret-symptom-note"))
    person_client.post("/journal/entries/new/", new_entry_data(notes="secret-bad", intensity="9"))
    person_client.get("/journal/", {"region": "eyelid"})
    assert "secret-symptom-note" not in caplog.text
    assert "secret-bad" not in caplog.text
    assert "eyelid" not in caplog.text.replace("region=eyelid", "")


def test_entry_times_use_the_persons_time_zone_when_saving(client):
    person = UserFactory(time_zone="America/Los_Angeles")
    client.force_login(person)
    client.post("/journal/entries/new/", new_entry_data(occurred_at="2026-01-05T08:00"))
    assert Entry.objects.get().occurred_at == datetime(2026, 1, 5, 16, 0, tzinfo=UTC)


def test_the_full_form_starts_at_the_latest_place(person_client, person):
    EntryFactory(user=person, region=Region.FOREARM, side="both")
    html = person_client.get("/journal/entries/new/").content.decode()
    assert chosen(html, "region") == {"forearm"}
    assert chosen(html, "side") == {"both"}


HOSTILE = [
    "<x-hostile onclick=alert(1)>",
    "'; DROP TABLE journal_entry; --",
    "\x00",
    "9" * 400,
    "-1e309",
    "NaN",
    "2026-02-30T25:61",
    "\u202e\ufeff\U0001f600",
]
ENTRY_FIELDS = [*new_entry_data(), "weakness"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_in_every_entry_field_get_a_page_never_a_500(person_client, person, value):
    entry = EntryFactory(user=person)
    for url in ("/journal/entries/new/", f"/journal/entries/{entry.pk}/edit/"):
        for field in ENTRY_FIELDS:
            response = person_client.post(url, new_entry_data(**{field: value}))
            assert response.status_code in (200, 302), (url, field)
            assert "<x-hostile" not in response.content.decode()
    response = person_client.post(
        "/journal/quick-add/", {"quick-region": value, "quick-side": value}
    )
    assert response.status_code == 302
    response = person_client.post(
        "/journal/sign-up/", {"email": value, "password1": value, "time_zone": [value, value]}
    )
    assert response.status_code in (200, 302)


@pytest.mark.parametrize(
    ("kind", "path", "wording", "back"),
    [
        (
            "entry",
            "/journal/entries/{pk}/delete/",
            "Calf (left) on Friday 20 November 2026, 09:30.",
            ("/journal/", "Back to your journal", "Yes, delete this entry"),
        ),
        (
            "check",
            "/journal/checks/{pk}/delete/",
            "Your self-check result from 20 November 2026, 09:30: ",
            ("/journal/checks/{pk}/", "Back to the saved result", "Yes, delete this result"),
        ),
        (
            "plan",
            "/journal/plan/{pk}/delete/",
            "Your self-care plan from Friday 20 November 2026, with every day you ticked off "
            "in it. Your journal entries stay.",
            ("/journal/plan/", "Back to your self-care plan", "Yes, delete this plan"),
        ),
    ],
)
def test_each_confirm_page_names_the_record_and_the_way_back(
    person_client, person, kind, path, wording, back
):
    when = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    record = {
        "entry": lambda: EntryFactory(user=person, occurred_at=when),
        "check": lambda: SavedCheckFactory(user=person, created_at=when),
        "plan": lambda: Plan.objects.create(user=person, started_on=when.date()),
    }[kind]()
    keep = {"entry": EntryFactory, "check": SavedCheckFactory}.get(kind)
    other = keep(user=person) if keep else None
    html = person_client.get(path.format(pk=record.pk)).content.decode()
    back_url, back_text, button = back
    back_url = back_url.format(pk=record.pk)
    assert wording in html
    assert f'<a class="govuk-back-link" href="{back_url}">{back_text}</a>' in html
    assert f'<a class="govuk-link" href="{back_url}">No, keep it</a>' in html
    assert f'<form method="post" action="{path.format(pk=record.pk)}">' in html
    assert button in html
    person_client.post(path.format(pk=record.pk))
    assert not type(record).objects.filter(pk=record.pk).exists()
    if other is not None:
        assert type(other).objects.filter(pk=other.pk).exists()
