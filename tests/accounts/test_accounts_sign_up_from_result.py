"""A self-check result survives signing up and signing in: the emailed link, opened in
this browser or another, signs the person in and lands on the result, ready to save."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import SignUpCheck, User
from accounts.sessions import clear_ended_sessions
from journal.models import SavedCheck
from tests.accounts.factories import PASSWORD, UserFactory
from tests.tasks import sent_emails

pytestmark = pytest.mark.django_db

PASSWORD_TYPED = "a-long-password-1"
RESULT = "/check/result/"


def sign_up(client, email: str = "cy@example.com", next_url: str = RESULT, **extra):
    data = {
        "email": email,
        "password1": PASSWORD_TYPED,
        "password2": PASSWORD_TYPED,
        "time_zone": "Europe/London",
        "next": next_url,
        **extra,
    }
    return client.post("/journal/sign-up/", data)


def opening_link() -> str:
    return re.search(r"http://testserver(/journal/sign-up/\S+/)", sent_emails()[-1].body)[1]


def test_the_result_offers_creating_an_account_or_signing_in_to_save_it(client, answer_all):
    answer_all(client)
    html = client.get(RESULT).content.decode()
    assert 'href="/journal/sign-up/?next=/check/result/">Create an account to save this' in html
    assert 'href="/journal/sign-in/?next=/check/result/">Sign in to save this' in html


def test_the_sign_up_page_from_a_result_says_the_link_comes_back_to_it(client, answer_all):
    answer_all(client)
    html = client.get("/journal/sign-up/?next=/check/result/").content.decode()
    assert "you come back to your self-check result" in html
    assert 'href="/journal/sign-in/?next=/check/result/">Sign in' in html


def test_the_link_opened_in_another_browser_lands_on_the_result_ready_to_save(client, answer_all):
    answer_all(client, weakness="yes")
    shown = client.get(RESULT).content.decode()
    sign_up(client)
    phone = Client()
    opened = phone.get(opening_link(), follow=True)
    assert opened.redirect_chain[-1][0] == RESULT
    html = opened.content.decode()
    assert "Your account is ready. You can save this result to your journal." in html
    assert "Save to my journal" in html
    heading = re.search(r'id="result-heading"[^>]*>([^<]+)<', shown)[1]
    assert heading in html
    user = User.objects.get(email="cy@example.com")
    assert int(phone.session["_auth_user_id"]) == user.pk
    saved = phone.post("/check/save/", follow=True)
    assert "This result is saved in your journal." in saved.content.decode()
    check = SavedCheck.objects.get(user=user)
    assert check.answers["weakness"] == "yes"
    assert SignUpCheck.objects.count() == 0


def test_the_link_opened_in_the_same_browser_lands_on_the_result(client, answer_all):
    answer_all(client)
    client.get(RESULT)
    sign_up(client)
    opened = client.get(opening_link(), follow=True)
    assert opened.redirect_chain[-1][0] == RESULT
    html = opened.content.decode()
    assert "Save to my journal" in html
    assert "Nothing has changed since your last check" not in html


def test_someone_with_an_account_who_signs_up_from_a_result_can_sign_in_back_to_it(
    client, answer_all
):
    UserFactory(email="cy@example.com")
    answer_all(client)
    html = sign_up(client).content.decode()
    assert 'href="/journal/sign-in/?next=/check/result/"' in html
    assert "come back to where you were" in html


def test_a_sign_up_not_from_a_result_keeps_no_answers_and_opens_the_journal(client, answer_all):
    answer_all(client)
    sign_up(client, next_url="")
    assert SignUpCheck.objects.count() == 0
    opened = Client().get(opening_link(), follow=True)
    assert opened.redirect_chain[-1][0] == "/journal/"


def test_a_sign_up_without_a_result_carries_nothing(client):
    sign_up(client)
    assert SignUpCheck.objects.count() == 0
    assert Client().get(opening_link(), follow=True).redirect_chain[-1][0] == "/journal/"


def test_the_newest_sign_up_s_answers_are_kept(client, answer_all):
    answer_all(client)
    sign_up(client)
    sign_up(Client())
    assert SignUpCheck.objects.count() == 0
    assert Client().get(opening_link(), follow=True).redirect_chain[-1][0] == "/journal/"


def test_answers_kept_for_a_link_no_longer_working_are_forgotten(client, answer_all):
    answer_all(client)
    sign_up(client)
    SignUpCheck.objects.update(at=timezone.now() - timedelta(hours=24, seconds=1))
    clear_ended_sessions()
    assert SignUpCheck.objects.count() == 0


def test_answers_kept_for_an_account_not_yet_open_go_with_it(client, answer_all):
    answer_all(client)
    sign_up(client)
    User.objects.get(email="cy@example.com").delete_account()
    assert SignUpCheck.objects.count() == 0


def test_two_differing_sign_ups_from_a_result_choose_a_password_then_see_the_result(
    client, answer_all
):
    answer_all(client)
    sign_up(client, password1="first-pass-1111", password2="first-pass-1111")
    sign_up(client)
    phone = Client()
    opened = phone.get(opening_link(), follow=True)
    assert "Choose your password" in opened.content.decode()
    chosen = phone.post(
        "/journal/account/choose-password/",
        {
            "new_password1": "chosen-pass-3333",
            "new_password2": "chosen-pass-3333",
            "next": RESULT,
        },
        follow=True,
    )
    assert chosen.redirect_chain[-1][0] == RESULT
    assert "Save to my journal" in chosen.content.decode()


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://testserver.evil.example/",
        "javascript:x",
        "not-a-path-evil.example",
    ],
)
def test_sign_up_ignores_a_next_address_off_the_site(client, answer_all, next_url):
    answer_all(client)
    html = client.get("/journal/sign-up/", {"next": next_url}).content.decode()
    assert "evil.example" not in html and "javascript:" not in html
    sign_up(client, next_url=next_url)
    assert SignUpCheck.objects.count() == 0
    person = UserFactory()
    client.force_login(person)
    assert client.get("/journal/sign-up/", {"next": next_url}).url == "/journal/"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/"])
def test_sign_in_ignores_a_next_address_off_the_site(client, person, next_url):
    data = {"username": person.email, "password": PASSWORD, "next": next_url}
    response = client.post("/journal/sign-in/", data)
    assert response.url == "/journal/"


def test_signing_in_from_the_result_returns_to_it_ready_to_save(client, person, answer_all):
    answer_all(client)
    page = client.get("/journal/sign-in/?next=/check/result/").content.decode()
    assert 'name="next" value="/check/result/"' in page
    data = {"username": person.email, "password": PASSWORD, "next": RESULT}
    signed_in = client.post("/journal/sign-in/", data, follow=True)
    assert signed_in.redirect_chain[-1][0] == RESULT
    assert "Save to my journal" in signed_in.content.decode()
