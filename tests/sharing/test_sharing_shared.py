"""The report a share link opens for someone without an account, and when it stops."""

import secrets
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sharing.models import ShareLink
from tests.journal.factories import EntryFactory
from tests.page_text import visible_text
from tests.pdf import pdf_text
from tests.sharing.helpers import make_link

pytestmark = pytest.mark.django_db

SECRET = "ana-private-note"
OLDER = "a-note-before-the-report"


@pytest.fixture
def shared(person, person_client) -> str:
    """The path of a link to Ana's report for the last 28 days, with one twitch in it."""
    EntryFactory(user=person, notes=SECRET)
    EntryFactory(user=person, notes=OLDER, occurred_at=timezone.now() - timedelta(days=60))
    return make_link(person_client)


@pytest.fixture
def visitor() -> Client:
    return Client()


def assert_not_found(response) -> None:
    assert response.status_code == 404
    html = response.content.decode()
    assert "We could not find that page" in visible_text(html)
    assert SECRET not in html
    assert "ana@example.com" not in html
    assert "Twitch report" not in visible_text(html)


def test_a_link_opens_the_report_without_an_account(shared, visitor):
    response = visitor.get(shared)
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "Twitch report" in text
    link = ShareLink.objects.get()
    assert f"{link.report_from:%-d %B %Y} to {link.report_to:%-d %B %Y}" in text
    assert SECRET in text


def test_the_shared_report_shows_nothing_beyond_its_dates_or_the_journal(shared, visitor):
    html = visitor.get(shared).content.decode()
    assert OLDER not in html
    assert "ana@example.com" not in html
    assert 'href="/journal/' not in html
    assert "Sign in" not in visible_text(html)
    assert "Sign out" not in visible_text(html)


def test_the_shared_report_is_kept_out_of_caches_search_engines_and_referrers(shared, visitor):
    for path in (shared, shared + "report.pdf"):
        response = visitor.get(path)
        assert response.status_code == 200
        assert response["Cache-Control"] == "no-store"
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert response["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex, nofollow">' in visitor.get(shared).text


def test_the_shared_report_sets_no_cookie(shared, visitor):
    response = visitor.get(shared)
    assert not response.cookies


def test_the_shared_report_has_its_pdf(shared, visitor):
    html = visitor.get(shared).content.decode()
    assert f'href="{shared}report.pdf"' in html
    response = visitor.get(shared + "report.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.getvalue())
    assert SECRET in text
    assert OLDER not in text


def test_an_expired_link_opens_nothing(shared, visitor):
    ShareLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_not_found(visitor.get(shared))
    assert visitor.get(shared + "report.pdf").status_code == 404


def test_a_stopped_link_opens_nothing(shared, visitor):
    ShareLink.objects.get().revoke()
    assert_not_found(visitor.get(shared))
    assert visitor.get(shared + "report.pdf").status_code == 404


def test_a_deleted_account_s_link_opens_nothing(shared, person, visitor):
    person.delete_account()
    assert not ShareLink.objects.exists()
    assert_not_found(visitor.get(shared))
    assert visitor.get(shared + "report.pdf").status_code == 404


def test_a_link_is_no_key_for_another_person_s_report(shared, other_person, visitor):
    EntryFactory(user=other_person, notes="ben-private-note")
    html = visitor.get(shared).content.decode()
    assert "ben-private-note" not in html
    assert SECRET in html


def changed(path: str) -> str:
    token = path.split("/")[2]
    other = "A" if token[0] != "A" else "B"
    return f"/shared/{other}{token[1:]}/"


@pytest.mark.parametrize(
    "made_up",
    [
        lambda path: "/shared/x/",
        lambda path: f"/shared/{secrets.token_urlsafe(32)}/",
        lambda path: f"/shared/{secrets.token_urlsafe(32)}/report.pdf",
        lambda path: path.rstrip("/") + "A/",
        lambda path: path.upper(),
        changed,
    ],
    ids=["short", "random", "random-pdf", "longer", "capitals", "one-character-changed"],
)
def test_a_made_up_token_opens_nothing(shared, visitor, made_up):
    assert_not_found(visitor.get(made_up(shared)))


def test_a_made_up_token_answers_as_an_expired_one(shared, visitor):
    made_up = visitor.get(f"/shared/{secrets.token_urlsafe(32)}/")
    ShareLink.objects.update(expires_at=timezone.now())
    expired = visitor.get(shared)
    assert made_up.status_code == expired.status_code == 404
    assert visible_text(made_up.content.decode()) == visible_text(expired.content.decode())


def test_trying_many_tokens_is_paused_with_retry_after(shared, visitor):
    for _ in range(60):
        assert visitor.get(f"/shared/{secrets.token_urlsafe(32)}/").status_code == 404
    response = visitor.get(shared)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert SECRET not in response.content.decode()
    assert "Too many requests" in visible_text(response.content.decode())
    other_address = Client(REMOTE_ADDR="192.0.2.7")
    assert other_address.get(shared).status_code == 200


def test_a_shared_report_only_answers_reading(shared, visitor):
    assert visitor.post(shared).status_code in (403, 405)
