"""A form that adds something, sent again (after a 503, a double click, the Back button),
saves once: its one-time token is spent only when the form saved something."""

import re

import pytest
from django.db import IntegrityError

from journal.models import Entry, Plan, SavedCheck
from reliability import once
from reliability.models import FormSubmission
from tests.accounts.factories import UserFactory
from tests.triage.answer_sets import BENIGN
from triage.answers import SAVED_KEY

pytestmark = pytest.mark.django_db

ONCE = re.compile(r'name="once" value="([^"]+)"')
ENTRY = {
    "occurred_at": "2026-11-20T09:30",
    "region": "calf",
    "side": "left",
    "duration": "seconds",
    "intensity": "2",
}


@pytest.fixture
def signed_in(client):
    client.force_login(UserFactory())
    return client


def token_on(client, path: str) -> str:
    page = client.get(path).content.decode()
    (token,) = ONCE.findall(page)
    return token


def test_each_drawing_of_a_form_carries_a_new_token(signed_in):
    assert token_on(signed_in, "/journal/entries/new/") != token_on(
        signed_in, "/journal/entries/new/"
    )


def test_an_entry_sent_again_is_saved_once_and_the_person_told(signed_in):
    data = {**ENTRY, "once": token_on(signed_in, "/journal/entries/new/")}
    first = signed_in.post("/journal/entries/new/", data)
    again = signed_in.post("/journal/entries/new/", data, follow=True)
    assert first.status_code == 302
    assert again.redirect_chain == [("/journal/", 302)]
    assert once.ALREADY_SAVED in again.content.decode()
    assert Entry.objects.count() == 1


def test_a_form_with_mistakes_spends_no_token(signed_in):
    token = token_on(signed_in, "/journal/entries/new/")
    wrong = signed_in.post("/journal/entries/new/", {**ENTRY, "region": "", "once": token})
    assert wrong.status_code in (200, 400)
    assert not FormSubmission.objects.exists()
    right = signed_in.post("/journal/entries/new/", {**ENTRY, "once": token})
    assert right.status_code == 302
    assert Entry.objects.count() == 1


def test_the_quick_add_without_javascript_saves_once(signed_in):
    data = {
        "quick-region": "eyelid",
        "quick-side": "left",
        "once": token_on(signed_in, "/journal/"),
    }
    signed_in.post("/journal/quick-add/", data)
    signed_in.post("/journal/quick-add/", data)
    assert Entry.objects.count() == 1


def test_the_quick_add_with_htmx_saves_a_double_tap_once_and_logs_the_next_tap(signed_in):
    data = {
        "quick-region": "eyelid",
        "quick-side": "left",
        "once": token_on(signed_in, "/journal/"),
    }
    htmx = {"HX-Request": "true"}
    first = signed_in.post("/journal/quick-add/", data, headers=htmx)
    again = signed_in.post("/journal/quick-add/", data, headers=htmx)
    assert again.status_code == 204
    assert Entry.objects.count() == 1
    (next_token,) = ONCE.findall(first.content.decode().split('id="quick-add-once"')[1])
    signed_in.post("/journal/quick-add/", {**data, "once": next_token}, headers=htmx)
    assert Entry.objects.count() == 2


def test_a_plan_started_twice_by_the_same_form_starts_once(signed_in):
    data = {"once": token_on(signed_in, "/journal/plan/")}
    assert signed_in.post("/journal/plan/start/", data).status_code == 302
    assert signed_in.post("/journal/plan/start/", data).url == "/journal/plan/"
    assert Plan.objects.count() == 1


def test_a_result_saved_twice_by_the_same_form_is_saved_once(signed_in):
    for question, answer in BENIGN.items():
        signed_in.post(f"/check/q/{question}/", {"answer": answer})
    data = {"once": token_on(signed_in, "/check/result/")}
    signed_in.post("/check/save/", data)
    # As after a 503 that came after the commit: the session never learnt it was saved.
    session = signed_in.session
    session.pop(SAVED_KEY)
    session.save()
    again = signed_in.post("/check/save/", data)
    assert again.url == "/check/result/"
    assert SavedCheck.objects.count() == 1


def test_two_copies_sent_at_the_same_moment_save_once(signed_in, monkeypatch):
    """Both copies pass the first look for the token; the second to commit finds it taken
    by the first and is undone."""
    data = {**ENTRY, "once": token_on(signed_in, "/journal/entries/new/")}
    create = FormSubmission.objects.create

    def first_copy_committed_meanwhile(**fields):
        create(token=fields["token"] + "-elsewhere", location="/journal/")
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(FormSubmission.objects, "create", first_copy_committed_meanwhile)
    monkeypatch.setattr(
        FormSubmission.objects,
        "get",
        lambda **fields: FormSubmission(token=fields["token"], location="/journal/"),
    )
    response = signed_in.post("/journal/entries/new/", data)
    assert response.url == "/journal/"
    assert Entry.objects.count() == 0, "this copy's entry was undone"


def test_a_token_that_is_not_one_of_ours_is_ignored(signed_in):
    for token in ("", "short", "x" * 200, "../../etc/passwd'; --"):
        signed_in.post("/journal/entries/new/", {**ENTRY, "once": token})
    assert Entry.objects.count() == 4
    assert not FormSubmission.objects.exists()
