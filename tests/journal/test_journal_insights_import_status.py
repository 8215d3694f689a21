"""After an upload: the import's own page says where the saving is, with or without htmx,
and only to the person who uploaded it."""

import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from journal.models import Entry, JournalImport
from tests.journal.factories import EntryFactory, JournalImportFactory
from tests.journal.insights_data import make_person
from tests.page_text import visible_text
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db

RECORD = {
    "occurred_at": "2026-11-20T09:30:00+00:00",
    "region": "calf",
    "side": "left",
    "duration": "seconds",
    "intensity": 2,
}


def journal_file(count: int) -> SimpleUploadedFile:
    entries = [{**RECORD, "notes": str(n)} for n in range(count)]
    content = json.dumps({"format": "twitch-check-journal", "version": 1, "entries": entries})
    return SimpleUploadedFile("journal.json", content.encode(), "application/json")


def page(client, url: str, **headers) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return visible_text(response.content.decode())


def test_an_upload_is_checked_at_once_and_saved_by_the_worker(client):
    person = make_person()
    client.force_login(person)
    response = client.post("/journal/import/", {"file": journal_file(3)})
    upload = JournalImport.objects.get(user=person)
    assert response.url == f"/journal/import/{upload.pk}/"
    waiting = page(client, response.url)
    assert "Waiting to start" in waiting
    assert "Every record in your file is checked. 3 new records will be added." in waiting
    assert "Nothing shows in your journal until every record is saved." in waiting
    assert Entry.objects.count() == 0

    run_tasks()
    done = page(client, response.url)
    assert "Journal imported 3 new records added" in done
    assert "Go to your journal" in done
    assert Entry.objects.filter(user=person).count() == 3
    upload.refresh_from_db()
    assert upload.data is None, "the uploaded file is not kept once it is saved"


def test_while_saving_the_page_shows_the_count_the_worker_has_shared(client):
    upload = JournalImportFactory(status="saving", to_add=100_000)
    cache.set(upload.progress_key, 40_000)
    client.force_login(upload.user)
    text = page(client, f"/journal/import/{upload.pk}/")
    assert "Saving" in text
    assert "40,000 twitches saved so far." in text
    assert "100,000 new records will be added" in text


def test_the_page_checks_itself_with_htmx_and_offers_a_button_without_it(client):
    upload = JournalImportFactory()
    client.force_login(upload.user)
    url = f"/journal/import/{upload.pk}/"
    whole = client.get(url).content.decode()
    assert f'href="{url}">Check progress</a>' in whole
    assert 'hx-trigger="every 2s"' in whole
    part = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in part and 'hx-trigger="every 2s"' in part
    JournalImport.objects.filter(pk=upload.pk).update(status="done", added=1)
    finished = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in finished, "a finished import stops asking"


def test_a_file_that_fails_when_saved_lists_why_and_saves_nothing(client):
    person = make_person()
    client.force_login(person)
    response = client.post("/journal/import/", {"file": journal_file(2)})
    upload = JournalImport.objects.get()
    upload.data["entries"][1]["intensity"] = 9
    upload.save()
    run_tasks()
    text = page(client, response.url)
    assert "Nothing was imported" in text
    assert "Twitch 2, 20 November 2026: the strength should be a whole number from 1 to 5." in text
    assert "Your journal is as it was before." in text
    assert Entry.objects.count() == 0


def stall(upload: JournalImport) -> None:
    JournalImport.objects.filter(pk=upload.pk).update(
        updated_at=timezone.now() - JournalImport.STALLED_AFTER - timedelta(minutes=1)
    )


def test_an_import_whose_worker_stopped_says_nothing_was_saved_and_frees_the_page(client):
    upload = JournalImportFactory(status="saving")
    stall(upload)
    client.force_login(upload.user)
    text = page(client, f"/journal/import/{upload.pk}/")
    assert "This import did not finish in time. Nothing from this file was saved." in text
    assert "still being saved" not in page(client, "/journal/import/")
    assert client.post("/journal/import/", {"file": journal_file(1)}).status_code == 302
    upload.refresh_from_db()
    assert (upload.status, upload.data) == ("failed", None), "its file is not kept"


def test_an_import_that_waited_too_long_is_not_saved_later(client):
    person = make_person()
    client.force_login(person)
    response = client.post("/journal/import/", {"file": journal_file(2)})
    stall(JournalImport.objects.get())
    run_tasks()
    assert "This import did not finish in time." in page(client, response.url)
    assert Entry.objects.count() == 0


def test_a_second_file_waits_until_the_first_import_has_finished(client):
    person = make_person()
    client.force_login(person)
    first = client.post("/journal/import/", {"file": journal_file(2)})
    assert "Your last import is still being saved." in page(client, "/journal/import/")
    second = client.post("/journal/import/", {"file": journal_file(1)})
    assert second.status_code == 400
    assert "Your last import is still being saved. Import another file when it has finished." in (
        visible_text(second.content.decode())
    )
    run_tasks()
    assert client.post("/journal/import/", {"file": journal_file(1)}).status_code == 302
    assert first.status_code == 302


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_persons_import_is_not_found(client, method):
    upload = JournalImportFactory(status="done", added=5)
    EntryFactory(user=upload.user)
    client.force_login(make_person("ben@example.com"))
    response = getattr(client, method)(f"/journal/import/{upload.pk}/")
    missing = getattr(client, method)(f"/journal/import/{upload.pk + 1000}/")
    expected = 404 if method == "get" else 405
    assert response.status_code == missing.status_code == expected
    assert "5 new records" not in response.content.decode()


def test_signed_out_visitors_are_asked_to_sign_in(client):
    upload = JournalImportFactory()
    response = client.get(f"/journal/import/{upload.pk}/")
    assert response.status_code == 302 and "/journal/sign-in/" in response.url
