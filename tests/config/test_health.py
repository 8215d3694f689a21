"""`/health/` tells a load balancer whether this server can reach its database and cache."""

import pytest
from django.db import DatabaseError

from config import health

pytestmark = pytest.mark.django_db


def test_a_healthy_server_answers_200_with_each_check(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_a_server_that_cannot_reach_its_database_answers_503(client, monkeypatch):
    def broken(self, *args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", broken)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "failing"
    assert response.json()["cache"] == "ok"


def test_a_server_that_cannot_reach_its_cache_answers_503(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(health.cache, "set", broken)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "failing", "database": "ok", "cache": "failing"}


def test_health_sets_no_cookie_and_needs_no_sign_in(client):
    response = client.get("/health/")
    assert not response.cookies


def test_health_answers_a_plain_http_probe_when_https_is_on(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/health/").status_code == 200
    assert client.get("/read/faq/").status_code == 301
