"""Saving a self-check result to the journal, from the result page."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from journal.models import SavedCheck
from tests.journal.factories import SavedCheckFactory
from tests.page_text import visible_text
from tests.triage.answer_sets import BENIGN
from tests.triage.walk import answer

pytestmark = pytest.mark.django_db


def test_a_signed_in_person_can_save_the_result_to_their_journal(person_client, person, answer_all):
    answer_all(person_client, numbness="numbness")
    response = person_client.post(reverse("save_result"))
    assert response.url == "/check/result/"
    saved = SavedCheck.objects.get()
    assert saved.user == person
    assert saved.level == "urgent_referral"
    assert saved.answers["numbness"] == "numbness"
    assert (
        "This result is saved in your journal."
        in person_client.get("/check/result/").content.decode()
    )


def test_saving_needs_a_signed_in_person(client, answer_all):
    answer_all(client)
    response = client.post(reverse("save_result"))
    assert response.status_code == 302
    assert response.url.startswith("/journal/sign-in/")
    assert SavedCheck.objects.count() == 0


def test_saving_twice_keeps_one_copy_and_links_to_it(person_client, answer_all):
    answer_all(person_client)
    person_client.post(reverse("save_result"))
    person_client.post(reverse("save_result"))
    saved = SavedCheck.objects.get()
    html = person_client.get("/check/result/").content.decode()
    assert f'href="/journal/checks/{saved.pk}/"' in html
    assert "Save to my journal" not in html


def test_changed_answers_can_be_saved_again(person_client, answer_all):
    answer_all(person_client)
    person_client.post(reverse("save_result"))
    person_client.post("/check/q/weakness/?return=check", {"answer": "yes"})
    assert "Save to my journal" in person_client.get("/check/result/").content.decode()
    person_client.post(reverse("save_result"))
    assert sorted(SavedCheck.objects.values_list("level", flat=True)) == ["self_care", "tests"]


def test_signing_in_to_save_comes_back_to_the_result(client, answer_all):
    answer_all(client)
    html = client.get("/check/result/").content.decode()
    assert 'href="/journal/sign-in/?next=/check/result/"' in html
    response = client.post(reverse("save_result"))
    assert response.url == "/journal/sign-in/?next=/check/result/"


def test_saving_before_finishing_sends_you_to_the_next_question(person_client):
    answer(person_client, "emergency_signs", "no")
    assert person_client.post(reverse("save_result")).url == "/check/q/age/"
    assert SavedCheck.objects.count() == 0


def test_answers_survive_signing_in_to_save_them(client, answer_all, django_user_model):
    django_user_model.objects.create_user("later@example.com", "a-long-password-1")
    answer_all(client, numbness="numbness")
    response = client.post(
        "/journal/sign-in/?next=/check/result/",
        {"username": "later@example.com", "password": "a-long-password-1"},
    )
    assert response.url == "/check/result/"
    html = client.get("/check/result/").content.decode()
    assert "Get an urgent referral" in html
    assert "Save to my journal" in html
    client.post(reverse("save_result"))
    assert SavedCheck.objects.get().level == "urgent_referral"


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_saving_only_accepts_post(client, method):
    assert getattr(client, method)("/check/save/").status_code == 405


def test_the_result_page_posts_to_the_save_address_a_person_has_always_used(
    person_client, answer_all
):
    answer_all(person_client)
    html = person_client.get("/check/result/").content.decode()
    assert '<form method="post" action="/check/save/">' in html


SAME_ANSWERS = "Nothing has changed since your last check on"


def saved_days_ago(user, days: float, answers: dict | None = None) -> SavedCheck:
    """A result saved `days` ago (the benign answers unless told), as the journal keeps it."""
    check = SavedCheckFactory(user=user, answers=dict(answers or BENIGN), level="self_care")
    created = timezone.now() - timedelta(days=days)
    SavedCheck.objects.filter(pk=check.pk).update(created_at=created)
    return check


def long_date(moment) -> str:
    day = timezone.localtime(moment, ZoneInfo("Europe/London")).date()
    return f"{day.day} {day:%B %Y}"


def result_text(client) -> str:
    html = client.get("/check/result/").content.decode()
    return visible_text(html[html.index("<main") : html.index("</main>")])


def test_a_saved_result_with_the_same_answers_this_week_says_nothing_has_changed(
    person_client, person, answer_all
):
    check = saved_days_ago(person, 3)
    check.refresh_from_db()
    answer_all(person_client)
    text = result_text(person_client)
    assert f"{SAME_ANSWERS} {long_date(check.created_at)}, so the answer is the same." in text
    assert "Checking again will not change it" in text
    html = person_client.get("/check/result/").content.decode()
    assert 'href="/read/worry-about-twitching/"' in html


def test_a_saved_result_older_than_seven_days_does_not_count(person_client, person, answer_all):
    saved_days_ago(person, 8)
    answer_all(person_client)
    assert SAME_ANSWERS not in result_text(person_client)


def test_a_saved_result_with_other_answers_does_not_count(person_client, person, answer_all):
    # The same level, from other answers: not the same check.
    saved_days_ago(person, 1, {**BENIGN, "numbness": "tingling"})
    answer_all(person_client)
    assert SAME_ANSWERS not in result_text(person_client)


def test_another_persons_saved_result_never_counts(person_client, other_person, answer_all):
    saved_days_ago(other_person, 1)
    answer_all(person_client)
    assert SAME_ANSWERS not in result_text(person_client)


def test_a_visitor_who_is_not_signed_in_is_not_matched_to_anyone(client, person, answer_all):
    saved_days_ago(person, 1)
    answer_all(client)
    assert SAME_ANSWERS not in result_text(client)


def test_saving_this_result_does_not_make_it_an_earlier_check(person_client, answer_all):
    answer_all(person_client)
    person_client.get("/check/result/")
    person_client.post(reverse("save_result"))
    text = result_text(person_client)
    assert "This result is saved in your journal." in text
    assert SAME_ANSWERS not in text
