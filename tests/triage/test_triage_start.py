"""The start page: a fresh start, or a way back to answers already given."""

import pytest

from tests.triage.walk import answer

pytestmark = pytest.mark.django_db


def test_a_first_visit_offers_start_now_only(client):
    html = client.get("/check/").content.decode()
    assert "Start now" in html
    assert "Continue to your result" not in html
    assert "Start again" not in html


def test_answers_to_a_result_offer_continue_to_your_result_and_start_again(client, answer_all):
    answer_all(client)
    html = client.get("/check/").content.decode()
    assert "Start now" not in html
    assert 'href="/check/result/"' in html
    assert "Continue to your result" in html
    assert "Start again" in html
    assert client.get("/check/result/").status_code == 200


def test_answers_part_way_continue_the_check_where_it_stopped(client):
    answer(client, "emergency_signs", "no")
    html = client.get("/check/").content.decode()
    assert "Continue your check" in html
    assert 'href="/check/q/age/"' in html
    assert "Continue to your result" not in html


def test_start_again_clears_the_answers_only_when_sent(client, answer_all):
    answer_all(client)
    assert client.get("/check/start-again/").status_code == 405
    assert "Continue to your result" in client.get("/check/").content.decode()
    client.post("/check/start-again/")
    html = client.get("/check/").content.decode()
    assert "Start now" in html
    assert "Continue to your result" not in html


def test_the_start_page_s_buttons_swap_in_with_htmx(client, answer_all):
    answer_all(client)
    html = client.get("/check/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in html
    assert "Continue to your result" in html
