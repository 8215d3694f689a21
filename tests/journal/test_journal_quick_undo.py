"""The quick add against double taps: the same form sent twice logs one twitch, and the
confirmation has an Undo for the twitch just logged, with and without htmx."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from journal.models import Entry
from tests.journal.factories import EntryFactory
from tests.page_text import visible_text

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
ONCE = re.compile(r'name="once" value="([^"]+)"')
TAP = {"quick-region": "eyelid", "quick-side": "left"}


def quick_add_form(client) -> dict:
    (token,) = ONCE.findall(client.get("/journal/").content.decode())
    return {**TAP, "once": token}


def undo_url(html: str) -> str:
    (url,) = re.findall(r'action="(/journal/quick-add/\d+/undo/)"', html)
    return url


def logged_just_now(person, minutes_ago: int = 0) -> Entry:
    entry = EntryFactory(user=person)
    Entry.objects.filter(pk=entry.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return entry


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["without htmx", "with htmx"])
def test_the_same_quick_add_form_sent_twice_logs_one_twitch(person_client, headers):
    form = quick_add_form(person_client)
    person_client.post("/journal/quick-add/", form, headers=headers)
    person_client.post("/journal/quick-add/", form, headers=headers)
    assert Entry.objects.count() == 1


def test_without_javascript_the_confirmation_offers_undo_and_undo_removes_the_twitch(
    person_client,
):
    response = person_client.post("/journal/quick-add/", quick_add_form(person_client), follow=True)
    html = response.content.decode()
    assert "Twitch logged: Eyelid (left)" in visible_text(html)
    assert 'role="alert"' in html
    undone = person_client.post(undo_url(html), follow=True)
    assert undone.redirect_chain == [("/journal/", 302)]
    assert "Undone: the twitch logged at" in visible_text(undone.content.decode())
    assert Entry.objects.count() == 0


def test_the_undo_is_offered_once_only_on_the_page_after_logging(person_client):
    person_client.post("/journal/quick-add/", quick_add_form(person_client))
    assert "/undo/" in person_client.get("/journal/").content.decode()
    assert "/undo/" not in person_client.get("/journal/").content.decode()


def test_with_htmx_undo_swaps_in_the_timeline_without_the_twitch(person_client):
    logged = person_client.post("/journal/quick-add/", TAP, headers=HTMX).content.decode()
    assert "Twitch logged: Eyelid (left)" in logged
    assert 'data-module="govuk-notification-banner"' in logged
    response = person_client.post(undo_url(logged), headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Undone: the twitch logged at" in html
    assert "No entries yet." in visible_text(html)
    assert Entry.objects.count() == 0


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["without htmx", "with htmx"])
def test_nobody_can_undo_another_persons_twitch(client, other_person, person, headers):
    entry = logged_just_now(person)
    client.force_login(other_person)
    assert client.post(f"/journal/quick-add/{entry.pk}/undo/", headers=headers).status_code == 404
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_undo_needs_a_signed_in_person_and_a_post(client, person):
    entry = logged_just_now(person)
    assert client.post(f"/journal/quick-add/{entry.pk}/undo/").status_code == 302
    client.force_login(person)
    assert client.get(f"/journal/quick-add/{entry.pk}/undo/").status_code == 405
    assert Entry.objects.count() == 1


def test_an_undo_after_fifteen_minutes_keeps_the_twitch_and_says_why(person_client, person):
    entry = logged_just_now(person, minutes_ago=16)
    response = person_client.post(f"/journal/quick-add/{entry.pk}/undo/", follow=True)
    text = visible_text(response.content.decode())
    assert "logged more than 15 minutes ago, so Undo no longer works for it" in text
    assert "You can delete it from your timeline." in text
    assert Entry.objects.count() == 1


def test_a_late_undo_with_htmx_leaves_the_page_and_says_why(person_client, person):
    entry = logged_just_now(person, minutes_ago=16)
    response = person_client.post(f"/journal/quick-add/{entry.pk}/undo/", headers=HTMX)
    assert response.headers["HX-Reswap"] == "none"
    assert "Undo no longer works for it" in response.content.decode()
    assert Entry.objects.count() == 1


def test_an_undo_within_fifteen_minutes_works(person_client, person):
    entry = logged_just_now(person, minutes_ago=14)
    person_client.post(f"/journal/quick-add/{entry.pk}/undo/")
    assert not Entry.objects.exists()
