"""Every change to a journal shows on the next view, to its owner only."""

import json
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from journal.models import Entry
from tests.accounts.factories import UserFactory
from tests.journal.factories import EntryFactory, SavedCheckFactory
from tests.journal.test_journal_entries import new_entry_data
from tests.page_text import table_rows
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db

TIMELINE, PATTERNS = "/journal/", "/journal/patterns/"


def seen(client, path: str = TIMELINE) -> str:
    return client.get(path).content.decode()


def test_quick_add_shows_on_the_next_view(person_client):
    assert "Hand or thumb (right)" not in seen(person_client)
    person_client.post("/journal/quick-add/", {"quick-region": "hand", "quick-side": "right"})
    assert "Hand or thumb (right)" in seen(person_client)


def test_a_new_entry_shows_on_the_timeline_and_in_the_charts(person_client):
    def charted() -> list[str]:
        html = seen(person_client, PATTERNS)
        if "Twitches by part of the body" not in html:
            return []
        return [row[0] for row in table_rows(html, "Twitches by part of the body")]

    assert "Tongue or mouth (right)" not in seen(person_client)
    assert "Tongue or mouth" not in charted()
    person_client.post("/journal/entries/new/", new_entry_data(region="tongue"))
    assert "Tongue or mouth (right)" in seen(person_client)
    assert "Tongue or mouth" in charted()


def test_an_edit_shows_on_the_next_view(person_client, person):
    entry = EntryFactory(user=person, region="calf")
    assert "Calf (left)" in seen(person_client)
    person_client.post(f"/journal/entries/{entry.pk}/edit/", new_entry_data(region="foot"))
    html = seen(person_client)
    assert "Foot or toes (right)" in html
    assert "Calf (left)" not in html


def test_a_deleted_entry_is_gone_from_the_next_view(person_client, person):
    entry = EntryFactory(user=person, region="back")
    assert "Back (left)" in seen(person_client)
    person_client.post(f"/journal/entries/{entry.pk}/delete/")
    assert "Back (left)" not in seen(person_client)


def test_a_saved_self_check_shows_and_its_deletion_too(person_client):
    assert 'href="/journal/checks/' not in seen(person_client)
    person_client.post("/check/q/emergency_signs/", {"answer": "yes"})
    person_client.post(reverse("save_result"))
    html = seen(person_client)
    level = html.split('id="checks-title"', 1)[1].split("</ul>", 1)[0]
    assert 'href="/journal/checks/' in level
    check_url = level.split('href="', 1)[1].split('"', 1)[0]
    person_client.post(check_url + "delete/")
    assert check_url not in seen(person_client)


def test_an_import_shows_on_the_next_view_once_the_worker_has_saved_it(person_client):
    seen(person_client)
    record = {
        "occurred_at": "2026-11-20T09:30:00+00:00",
        "region": "shoulder",
        "side": "left",
        "duration": "minutes",
    }
    content = json.dumps({"format": "twitch-check-journal", "version": 1, "entries": [record]})
    upload = SimpleUploadedFile("journal.json", content.encode(), "application/json")
    person_client.post("/journal/import/", {"file": upload})
    assert "Shoulder (left)" not in seen(person_client)
    run_tasks()
    assert Entry.objects.filter(region="shoulder").exists()
    assert "Shoulder (left)" in seen(person_client)


def test_a_new_time_zone_shows_times_in_it_at_once(person_client, person):
    EntryFactory(user=person, occurred_at=datetime(2026, 11, 20, 12, 0, tzinfo=UTC))
    assert "12:00" in seen(person_client)
    person_client.post("/journal/account/", {"time_zone": "Asia/Tokyo"})
    html = seen(person_client)
    assert "21:00" in html
    assert "12:00" not in html


@pytest.mark.parametrize("path", [TIMELINE, PATTERNS, TIMELINE + "?region=calf"])
def test_two_people_never_see_each_others_page(client, path):
    ana, ben = UserFactory(), UserFactory()
    EntryFactory(user=ana, region="calf", notes="A private note")
    SavedCheckFactory(user=ana)
    EntryFactory(user=ben, region="eyelid")
    client.force_login(ana)
    ana_page = seen(client, path)
    assert "A private note" in ana_page or path == PATTERNS
    client.force_login(ben)
    ben_page = seen(client, path)
    assert ben_page != ana_page
    assert "A private note" not in ben_page


def test_a_filtered_timeline_shows_only_its_entries(person_client, person):
    EntryFactory(user=person, region="eyelid")
    EntryFactory(user=person, region="calf")
    assert "Calf (left)" in seen(person_client)
    filtered = seen(person_client, TIMELINE + "?region=eyelid")
    assert "Eyelid (left)" in filtered
    assert "Calf (left)" not in filtered
    htmx = person_client.get(TIMELINE + "?region=calf", headers={"HX-Request": "true"})
    assert "<html" not in htmx.content.decode()
    assert "Calf (left)" in htmx.content.decode()
    assert "<html" in seen(person_client, TIMELINE + "?region=calf")
