import json
import re

import pytest
from django.template import Context, Template

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def test_structured_data_is_valid_json_describing_the_page(client):
    html = client.get("/read/eyelid-twitching/").content.decode()
    (payload,) = JSON_LD.findall(html)
    data = json.loads(payload)
    assert data["@type"] == "MedicalWebPage"
    assert data["name"] == "Eyelid twitching"
    assert data["url"] == "http://testserver/read/eyelid-twitching/"
    assert data["lastReviewed"] == "2026-12-06"


def test_structured_data_cannot_close_its_script_element():
    rendered = Template("{% load content_tags %}{% json_ld data %}").render(
        Context({"data": {"name": "</script><script>alert(1)</script> & more"}})
    )
    assert rendered.count("</script>") == 1
    assert json.loads(JSON_LD.findall(rendered)[0])["name"].startswith("</script>")


def test_the_only_inline_script_is_data_and_the_policy_forbids_inline_code(client):
    response = client.get("/read/red-flags/")
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "script-src" in policy or "default-src" in policy
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", response.content.decode())
    assert inline == [' type="application/ld+json"']


def test_search_and_index_pages_describe_themselves(client):
    for path in ("/read/", "/search/?q=eyelid"):
        html = client.get(path).content.decode()
        assert '<meta name="description" content="' in html
        assert "<title>" in html


def test_a_signed_in_reader_costs_only_the_session_and_user_queries(
    person_client, django_assert_max_num_queries
):
    person_client.get("/read/red-flags/")
    with django_assert_max_num_queries(2):
        response = person_client.get("/read/when-to-worry/")
    assert response.status_code == 200
    assert "Sign out" in response.content.decode()
