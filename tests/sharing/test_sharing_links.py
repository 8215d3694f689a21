"""The owner's share links: making one, seeing them listed, and stopping one."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sharing.models import ShareLink
from tests.journal.factories import EntryFactory
from tests.page_text import table_rows, visible_text
from tests.sharing.helpers import ONCE, make_link

pytestmark = pytest.mark.django_db

LINKS = "Every link you have made, newest first"


def listed(owner: Client) -> list[list[str]]:
    """The owner's links as the table lists them, without its heading row."""
    return table_rows(owner.get("/journal/share/").content.decode(), LINKS)[1:]


def test_the_report_page_offers_to_share_the_dates_it_shows(person_client):
    page = person_client.get("/journal/report/?from=2026-11-01&to=2026-11-20")
    assert 'href="/journal/share/?from=2026-11-01&amp;to=2026-11-20"' in page.content.decode()
    share = person_client.get("/journal/share/?from=2026-11-01&to=2026-11-20")
    text = visible_text(share.content.decode())
    assert "your doctor report for 1 November 2026 to 20 November 2026" in text


def test_a_new_link_is_shown_once_then_listed_by_its_dates(person_client):
    path = make_link(person_client, days="10", query="?from=2026-11-01&to=2026-11-20")
    assert path.startswith("/shared/")
    assert path not in person_client.get("/journal/share/").content.decode()
    [row] = listed(person_client)
    assert row[1] == "1 Nov 2026 to 20 Nov 2026"
    assert row[3] == "Not opened yet"
    assert row[4].startswith("Working")
    link = ShareLink.objects.get()
    assert link.expires_at - link.created_at == pytest.approx(
        timedelta(days=10), abs=timedelta(seconds=5)
    )


def test_a_link_lasts_7_days_unless_the_owner_chooses(person_client):
    page = person_client.get("/journal/share/").content.decode()
    assert 'name="days" value="7"' in page
    make_link(person_client)
    link = ShareLink.objects.get()
    assert (link.expires_at - timezone.now()).days == 6  # 7 days less the moments since


def test_without_dates_a_link_shares_the_usual_last_28_days(person_client):
    make_link(person_client, query="?from=nonsense")
    link = ShareLink.objects.get()
    assert (link.report_to - link.report_from).days == 27


def test_the_form_sent_twice_makes_one_link(person_client):
    once = ONCE.search(person_client.get("/journal/share/").content.decode())[1]
    for _ in range(2):
        response = person_client.post("/journal/share/", {"days": "7", "once": once})
        assert response.status_code == 302
    assert ShareLink.objects.count() == 1


@pytest.mark.parametrize("days", ["0", "31", "seven", "", "-3", "2.5"])
def test_a_lifetime_outside_1_to_30_days_is_refused_keeping_what_was_typed(person_client, days):
    query = "?from=2026-11-01&to=2026-11-20"
    response = person_client.post(
        "/journal/share/" + query,
        {"days": days, "report_from": "2026-11-01", "report_to": "2026-11-20"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a number of days from 1 to 30, like 7." in visible_text(html)
    assert f'name="days" value="{days}"' in html or (days == "" and 'name="days"' in html)
    assert "1 November 2026 to 20 November 2026" in visible_text(html)
    assert not ShareLink.objects.exists()


def test_the_owner_sees_when_the_link_was_last_opened(person_client):
    path = make_link(person_client)
    Client().get(path)
    [row] = listed(person_client)
    assert row[3] != "Not opened yet"
    assert ShareLink.objects.get().last_opened_at is not None


def test_stopping_a_link_asks_first_then_keeps_it_listed_as_stopped(person_client, client):
    path = make_link(person_client)
    link = ShareLink.objects.get()
    confirm = person_client.get(f"/journal/share/{link.pk}/stop/")
    assert "Stop this link working?" in visible_text(confirm.content.decode())
    assert client.get(path).status_code == 200  # asking stops nothing
    response = person_client.post(f"/journal/share/{link.pk}/stop/")
    assert response.status_code == 302
    page = person_client.get(response["Location"]).content.decode()
    assert "The link no longer works." in visible_text(page)
    [_, row] = table_rows(page, LINKS)
    assert row[4].startswith("Stopped on")
    assert client.get(path).status_code == 404


def test_an_ended_link_is_listed_as_ended(person_client):
    make_link(person_client)
    ShareLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    [row] = listed(person_client)
    assert row[4] == "Ended"


def test_nobody_else_sees_or_stops_someone_s_link(person, person_client, other_person, client):
    EntryFactory(user=person)
    path = make_link(person_client)
    link = ShareLink.objects.get()
    client.force_login(other_person)
    listed = client.get("/journal/share/").content.decode()
    assert "You have not made a link yet." in visible_text(listed)
    assert client.get(f"/journal/share/{link.pk}/stop/").status_code == 404
    assert client.post(f"/journal/share/{link.pk}/stop/").status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None
    assert client.get(path).status_code == 200


def test_the_share_pages_ask_a_visitor_to_sign_in(client):
    for path in ("/journal/share/", "/journal/share/1/stop/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/journal/sign-in/")
