import re

import pytest
from django.urls import reverse

from journal.models import SavedCheck
from tests.triage.conftest import FULL_PATH, answer
from triage.answers import SESSION_KEY

pytestmark = pytest.mark.django_db


def h1(response) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S).group(1).strip()


def test_start_page_explains_the_check_and_starts_with_emergency_signs(client):
    response = client.get("/check/")
    html = response.content.decode()
    assert "Check your twitch" in html
    assert 'href="/check/q/emergency_signs/"' in html
    assert "call your emergency number now" in html


def test_first_question_asks_about_emergency_signs_with_progress_and_why(client):
    response = client.get("/check/q/emergency_signs/")
    html = response.content.decode()
    assert h1(response).startswith("Right now, or in the last few hours")
    assert "Step 1 of 11" in html
    assert "Why we ask this" in html
    assert 'href="/read/red-flags/"' in html


def test_each_answer_leads_to_the_next_question_then_to_check_your_answers(client):
    for (question_id, value), following in zip(FULL_PATH, [*FULL_PATH[1:], None], strict=True):
        response = answer(client, question_id, value)
        expected = f"/check/q/{following[0]}/" if following else "/check/answers/"
        assert response.url == expected


def test_progress_counts_steps_on_the_path_being_taken(client):
    answer(client, "emergency_signs", "no")
    answer(client, "area", "eyelid")
    assert "Step 3 of 4" in client.get("/check/q/eyelid_duration/").content.decode()


def test_eyelid_only_twitching_takes_the_short_path_to_an_eye_specialist(client):
    answer(client, "emergency_signs", "no")
    assert answer(client, "area", "eyelid").url == "/check/q/eyelid_duration/"
    assert answer(client, "eyelid_duration", "over_2_weeks").url == "/check/q/eyelid_spread/"
    assert answer(client, "eyelid_spread", "no").url == "/check/answers/"
    result = client.get("/check/result/")
    assert h1(result) == "See an eye specialist"
    assert "more than 2 weeks" in result.content.decode()


def test_an_emergency_answer_goes_straight_to_the_emergency_result(client):
    response = answer(client, "emergency_signs", "yes")
    assert response.url == "/check/result/"
    result = client.get("/check/result/")
    html = result.content.decode()
    assert h1(result) == "Call the emergency number now"
    assert html.index("Call the emergency number now") < html.index("Why we suggest this")
    assert "https://www.nhs.uk/conditions/stroke/symptoms/" in html


def test_benign_answers_give_self_care_with_the_five_steps(client, answer_all):
    answer_all(client)
    result = client.get("/check/result/")
    html = result.content.decode()
    assert h1(result) == "Look after yourself at home"
    assert "Your five-step self-care plan" in html
    assert html.count("<li><strong>") >= 5
    assert "This is not a diagnosis." in html
    assert "If it gets worse" in html


def test_spreading_twitches_advise_neurologist_with_the_reason_linked(client, answer_all):
    answer_all(client, spread="several_areas")
    result = client.get("/check/result/")
    html = result.content.decode()
    assert h1(result) == "See a neurologist within 2–3 weeks"
    assert "You said the twitching has spread to several areas" in html
    assert 'href="/read/red-flags/"' in html


def test_every_result_carries_if_worse_advice_and_the_not_a_diagnosis_note(client, answer_all):
    answer_all(client, weakness="yes")
    html = client.get("/check/result/").content.decode()
    assert "If it gets worse" in html
    assert "This is not a diagnosis." in html
    assert "Rules version 2026.11.1" in html


def test_back_link_goes_to_the_previous_question_and_keeps_the_answer(client):
    answer(client, "emergency_signs", "no")
    answer(client, "area", "elsewhere")
    html = client.get("/check/q/duration/").content.decode()
    assert 'href="/check/q/area/"' in html
    back = client.get("/check/q/area/").content.decode()
    assert re.search(r'value="elsewhere"\s+checked', back)


def test_check_your_answers_lists_every_answer_with_change_links(client, answer_all):
    answer_all(client)
    html = client.get("/check/answers/").content.decode()
    for question_id, _ in FULL_PATH:
        assert f'href="/check/q/{question_id}/?return=check"' in html
    assert "Only my eyelid" not in html
    assert "Somewhere else, or in more than my eyelid" in html


def test_changing_an_answer_from_the_check_page_returns_there(client, answer_all):
    answer_all(client)
    form = client.get("/check/q/weakness/?return=check").content.decode()
    assert 'href="/check/answers/"' in form
    response = client.post("/check/q/weakness/?return=check", {"answer": "yes"})
    assert response.url == "/check/answers/"
    assert client.session[SESSION_KEY]["weakness"] == "yes"


def test_a_change_that_opens_new_questions_asks_them_before_returning(client):
    answer(client, "emergency_signs", "no")
    answer(client, "area", "eyelid")
    answer(client, "eyelid_duration", "under_2_weeks")
    answer(client, "eyelid_spread", "no")
    response = client.post("/check/q/area/?return=check", {"answer": "elsewhere"})
    assert response.url == "/check/q/duration/?return=check"
    assert "eyelid_duration" not in client.session[SESSION_KEY]


@pytest.mark.parametrize(
    "path", ["/check/q/spread/", "/check/answers/", "/check/result/", "/check/q/eyelid_spread/"]
)
def test_skipping_ahead_redirects_to_the_first_unanswered_question(client, path):
    answer(client, "emergency_signs", "no")
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == "/check/q/area/"


def test_an_unknown_question_is_not_found(client):
    assert client.get("/check/q/favourite_colour/").status_code == 404


@pytest.mark.parametrize(
    "value", ["", "maybe", "<script>alert(1)</script>", "x" * 10_000, "' OR 1=1 --", "🙂"]
)
def test_an_invalid_answer_shows_the_error_summary_and_keeps_other_answers(client, value):
    answer(client, "emergency_signs", "no")
    response = answer(client, "area", value)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'href="#id_answer_0"' in html
    assert "Select an answer to: Where is the twitching?" in html
    assert "<script>alert(1)</script>" not in html
    assert client.session[SESSION_KEY] == {"emergency_signs": "no"}


def test_a_missing_answer_field_is_an_error_not_a_crash(client):
    response = client.post("/check/q/emergency_signs/", {"other": "1"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_a_tampered_session_is_ignored_not_trusted(client):
    session = client.session
    session[SESSION_KEY] = {"emergency_signs": "no", "area": "<b>", "weakness": 3}
    session.save()
    assert client.get("/check/result/").url == "/check/q/area/"


def test_refreshing_after_an_answer_only_repeats_a_get(client):
    response = answer(client, "emergency_signs", "no")
    assert response.status_code == 302
    assert client.get(response.url).status_code == 200


def test_start_again_clears_every_answer(client, answer_all):
    answer_all(client)
    response = client.post("/check/start-again/")
    assert response.url == "/check/"
    assert SESSION_KEY not in client.session
    assert client.get("/check/result/").url == "/check/q/emergency_signs/"


def test_anonymous_answers_are_never_written_to_the_database(client, answer_all):
    answer_all(client, weakness="yes")
    client.get("/check/result/")
    assert SavedCheck.objects.count() == 0
    html = client.get("/check/result/").content.decode()
    assert "Sign in to save this to your journal" in html


def test_a_signed_in_person_can_save_the_result_to_their_journal(
    client, answer_all, django_user_model
):
    person = django_user_model.objects.create_user("saver@example.com", "a-long-password-1")
    client.force_login(person)
    answer_all(client, spread="several_areas")
    response = client.post(reverse("triage:save"))
    assert response.url == "/check/result/"
    saved = SavedCheck.objects.get()
    assert saved.user == person
    assert saved.level == "neurologist"
    assert saved.answers["spread"] == "several_areas"
    assert "This result is saved in your journal." in client.get("/check/result/").content.decode()


def test_saving_needs_a_signed_in_person(client, answer_all):
    answer_all(client)
    response = client.post(reverse("triage:save"))
    assert response.status_code == 302
    assert response.url.startswith("/journal/sign-in/")
    assert SavedCheck.objects.count() == 0


def test_htmx_requests_get_just_the_step(client):
    answer(client, "emergency_signs", "no")
    response = client.get("/check/q/area/", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith("<title>")
    assert '<div id="step"' in html
    assert "<title>Where is the twitching? – Twitch Check</title>" in html
    full = client.get(
        "/check/q/area/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in full.content.decode()
