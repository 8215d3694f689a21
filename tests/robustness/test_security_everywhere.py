"""Checks that hold for every URL the site has, found by walking the URL configuration."""

import pytest
from django.test import Client

from tests.robustness.routes import site_paths

pytestmark = pytest.mark.django_db

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
