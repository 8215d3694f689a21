"""Pages that every visitor sees alike never carry one visitor's state to another."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_signed_in_people_get_their_own_page(person_client):
    Client().get("/read/faq/")
    html = person_client.get("/read/faq/").content.decode()
    assert "Sign out" in html
    assert "Sign in</a>" not in html


def test_each_answer_set_gets_its_own_step(client):
    client.post("/check/q/emergency_signs/", {"answer": "no"})
    client.post("/check/q/age/", {"answer": "16_or_over"})
    client.post("/check/q/area/", {"answer": "eyelid"})
    eyelid = client.get("/check/q/area/").content.decode()
    client.post("/check/q/area/", {"answer": "elsewhere"})
    elsewhere = client.get("/check/q/area/").content.decode()
    assert re.search(r'value="eyelid"\s+checked', eyelid)
    assert re.search(r'value="elsewhere"\s+checked', elsewhere)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/read/",
        "/read/faq/",
        "/read/red-flags/",
        "/search/?q=eyelid",
        "/no-such-page/",
        "/about/",
        "/privacy/",
        "/accessibility/",
        "/contact/",
    ],
)
def test_reading_sets_no_cookie(path):
    response = Client().get(path)
    assert not response.cookies
    assert "X-CSRFToken" not in response.content.decode()


def test_a_page_cached_for_htmx_is_not_served_to_a_plain_visit(client):
    client.post("/check/q/emergency_signs/", {"answer": "no"})
    client.post("/check/q/age/", {"answer": "16_or_over"})
    restore = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    for_htmx = client.get("/check/q/area/", headers=restore).content.decode()
    plain = client.get("/check/q/area/").content.decode()
    assert for_htmx.count("<title>") == 2
    assert plain.count("<title>") == 1
