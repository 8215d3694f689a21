"""Checks that hold for every URL the site has, found by walking the URL configuration."""

import re

import pytest
from django.test import Client

from tests.robustness.routes import site_paths

pytestmark = pytest.mark.django_db

PATHS = site_paths()


@pytest.mark.parametrize("path", PATHS)
def test_every_post_without_a_csrf_token_is_refused(path, person):
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    response = client.post(path, {"anything": "1"})
    assert response.status_code == 403


@pytest.mark.parametrize("path", PATHS)
def test_every_page_carries_the_security_headers(path, person, client):
    client.force_login(person)
    response = client.get(path)
    assert response.status_code < 500
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Permissions-Policy" in response.headers


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
@pytest.mark.parametrize("path", PATHS)
def test_no_signed_in_page_may_be_stored_by_a_browser_or_proxy(path, htmx, person, client):
    client.force_login(person)
    response = client.get(path, headers={"HX-Request": "true"} if htmx else {})
    cache_control = {part.strip() for part in response.headers["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control


UNSAFE_HTMX = re.compile(r"\bhx-(?:post|put|patch|delete)=")
POST_FORM = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", re.S | re.I)
HEADER_TOKEN = re.compile(r"<body\b[^>]* hx-headers='\{\"X-CSRFToken\": \"\w+\"\}'>")


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "signed-in"])
@pytest.mark.parametrize("path", PATHS)
def test_every_page_that_posts_carries_its_csrf_token(path, signed_in, person, client):
    if signed_in:
        client.force_login(person)
    response = client.get(path)
    if "text/html" not in response.headers.get("Content-Type", ""):
        return  # a download (CSV, JSON, PDF) has no forms
    html = response.content.decode()
    if UNSAFE_HTMX.search(html):
        assert HEADER_TOKEN.search(html), "htmx posts from this page need the token on <body>"
    for form in POST_FORM.findall(html):
        assert 'name="csrfmiddlewaretoken"' in form
