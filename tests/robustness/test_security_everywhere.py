"""Checks that hold for every URL the site has, found by walking the URL configuration."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
SAMPLE = {"int": "1", "str": "sample", "slug": "sample", "path": "sample", "uuid": None}


def site_paths() -> list[str]:
    """Every route of the site, with placeholder values for its parameters."""
    paths = []

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if route.startswith("admin/"):
                continue
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern):
                if route.startswith("^"):
                    continue
                filled = CONVERTER.sub(lambda m: SAMPLE.get(m["kind"] or "str") or "x", route)
                paths.append("/" + filled.replace("$", ""))

    walk(get_resolver().url_patterns, "")
    return sorted(set(paths))


PATHS = site_paths()


@pytest.fixture
def person(django_user_model):
    return django_user_model.objects.create_user("reader@example.com", "a-long-password-1")


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
