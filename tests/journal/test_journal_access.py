"""Another person's entry or saved result is simply not there: 404, and nothing changes."""

import pytest

from journal.models import Entry, SavedCheck
from tests.journal.factories import EntryFactory, SavedCheckFactory

pytestmark = pytest.mark.django_db

ENTRY_URLS = ["/journal/entries/{pk}/edit/", "/journal/entries/{pk}/delete/"]
CHECK_URLS = ["/journal/checks/{pk}/", "/journal/checks/{pk}/delete/"]
SIGNED_IN_ONLY = [
    "/journal/quick-add/",
    "/journal/entries/new/",
    "/journal/day/",
    "/journal/day/2026-11-20/",
    "/journal/check-ins/1/delete/",
    "/journal/account/",
    "/journal/account/delete/",
    "/journal/account/password/",
    *ENTRY_URLS,
    *CHECK_URLS,
]
EDIT = {
    "occurred_at": "2026-01-01T10:00",
    "region": "eyelid",
    "side": "right",
    "duration": "hours",
    "intensity": "5",
    "notes": "changed by someone else",
}


@pytest.fixture
def anas_entry(person) -> Entry:
    return EntryFactory(user=person, notes="ana's own note")


@pytest.fixture
def anas_check(person) -> SavedCheck:
    return SavedCheckFactory(user=person)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("url", ENTRY_URLS)
def test_another_persons_entry_is_not_found_and_unchanged(
    client, other_person, anas_entry, url, method
):
    before = Entry.objects.values().get(pk=anas_entry.pk)
    client.force_login(other_person)
    response = getattr(client, method)(url.format(pk=anas_entry.pk), EDIT)
    assert response.status_code == 404
    assert Entry.objects.values().get(pk=anas_entry.pk) == before


@pytest.mark.parametrize(
    ("url", "method", "status"),
    [
        ("/journal/checks/{pk}/", "get", 404),
        # The page only answers GET: a POST is refused for every id alike, revealing nothing.
        ("/journal/checks/{pk}/", "post", 405),
        ("/journal/checks/{pk}/delete/", "get", 404),
        ("/journal/checks/{pk}/delete/", "post", 404),
    ],
)
def test_another_persons_saved_result_is_not_found_and_kept(
    client, other_person, anas_check, url, method, status
):
    client.force_login(other_person)
    response = getattr(client, method)(url.format(pk=anas_check.pk))
    missing = getattr(client, method)(url.format(pk=anas_check.pk + 1000))
    assert response.status_code == missing.status_code == status
    assert SavedCheck.objects.filter(pk=anas_check.pk).exists()


@pytest.mark.parametrize("url", SIGNED_IN_ONLY)
def test_signed_out_visitors_are_asked_to_sign_in_and_nothing_changes(
    client, anas_entry, anas_check, url
):
    path = url.format(pk=anas_entry.pk if "entries" in url else anas_check.pk)
    for response in (client.get(path), client.post(path, EDIT)):
        assert response.status_code in (302, 405)
        if response.status_code == 302:
            assert response["Location"].startswith("/journal/sign-in/")
    assert Entry.objects.count() == 1
    assert SavedCheck.objects.count() == 1


def test_the_timeline_shows_only_your_own_entries_and_results(client, other_person, anas_entry):
    SavedCheckFactory(user=anas_entry.user, level="see_doctor")
    client.force_login(other_person)
    html = client.get("/journal/").content.decode()
    assert "ana&#x27;s own note" not in html and "ana's own note" not in html
    assert "/journal/checks/" not in html
    assert "No entries yet." in html


def test_quick_add_always_writes_to_your_own_journal(client, person, other_person):
    client.force_login(other_person)
    client.post(
        "/journal/quick-add/", {"quick-region": "calf", "quick-side": "left", "user": person.pk}
    )
    assert Entry.objects.get().user == other_person


def test_signed_out_visitors_see_what_the_journal_is_with_a_way_in(client):
    response = client.get("/journal/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "A private journal for your twitches" in html
    assert 'href="/journal/sign-in/?next=/journal/"' in html
    assert 'href="/journal/sign-up/"' in html


def test_every_other_journal_page_sends_signed_out_visitors_to_sign_in(client):
    response = client.get("/journal/entries/new/")
    assert response.status_code == 302
    assert response["Location"] == "/journal/sign-in/?next=/journal/entries/new/"
