import re

import pytest
from django.test import Client

from config.page_cache import TOKEN_PLACEHOLDER

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')


def test_visitors_share_cached_html_but_never_a_csrf_token():
    first, second = Client(), Client()
    one = first.get("/check/q/emergency_signs/")
    two = second.get("/check/q/emergency_signs/")
    token_one = TOKEN.search(one.content.decode()).group(1)
    token_two = TOKEN.search(two.content.decode()).group(1)
    assert token_one != TOKEN_PLACEHOLDER != token_two
    assert one.cookies["csrftoken"].value != two.cookies["csrftoken"].value
    assert TOKEN_PLACEHOLDER not in two.content.decode()


def test_a_cached_page_still_accepts_the_visitors_own_token():
    visitor = Client(enforce_csrf_checks=True)
    for _ in range(2):
        html = visitor.get("/check/").content.decode()
    token = TOKEN.search(html).group(1)
    response = visitor.post("/check/start-again/", headers={"X-CSRFToken": token})
    assert response.status_code == 302


def test_signed_in_people_get_their_own_page(person_client):
    Client().get("/read/faq/")
    html = person_client.get("/read/faq/").content.decode()
    assert "Sign out" in html
    assert "Sign in</a>" not in html


def test_each_answer_set_gets_its_own_step(client):
    client.post("/check/q/emergency_signs/", {"answer": "no"})
    client.post("/check/q/area/", {"answer": "eyelid"})
    eyelid = client.get("/check/q/area/").content.decode()
    client.post("/check/q/area/", {"answer": "elsewhere"})
    elsewhere = client.get("/check/q/area/").content.decode()
    assert re.search(r'value="eyelid"\s+checked', eyelid)
    assert re.search(r'value="elsewhere"\s+checked', elsewhere)


@pytest.mark.parametrize(
    "path", ["/", "/read/", "/read/faq/", "/read/red-flags/", "/search/?q=eyelid", "/no-such-page/"]
)
def test_reading_sets_no_cookie(path):
    response = Client().get(path)
    assert not response.cookies
    assert "X-CSRFToken" not in response.content.decode()


def test_a_page_cached_for_htmx_is_not_served_to_a_plain_visit(client):
    client.post("/check/q/emergency_signs/", {"answer": "no"})
    restore = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    for_htmx = client.get("/check/q/area/", headers=restore).content.decode()
    plain = client.get("/check/q/area/").content.decode()
    assert for_htmx.count("<title>") == 2
    assert plain.count("<title>") == 1
