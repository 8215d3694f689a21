"""The account forms: sign-up, sign-in and time zones."""

import pytest

from accounts.forms import (
    EmailAuthenticationForm,
    SignUpForm,
    grouped_time_zone_choices,
    time_zone_choices,
)
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_sign_up_needs_matching_passwords_and_a_real_time_zone():
    form = SignUpForm(
        {
            "email": "new@example.com",
            "password1": "a-long-password-1",
            "password2": "a-different-one-2",
            "time_zone": "Mars/Olympus",
        }
    )
    assert not form.is_valid()
    assert "password2" in form.errors
    assert form.errors["time_zone"] == ["Choose a time zone from the list."]


def test_sign_up_never_says_an_email_is_already_used():
    UserFactory(email="ana@example.com")
    form = SignUpForm(
        {
            "email": "ANA@Example.com",
            "password1": "a-long-password-1",
            "password2": "a-long-password-1",
            "time_zone": "Europe/London",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["email"] == "ana@example.com"


def sign_up_form(**time_zone: str) -> SignUpForm:
    password = "a-long-password-1"
    data = {"email": "new@example.com", "password1": password, "password2": password}
    return SignUpForm({**data, **time_zone})


def test_sign_up_offers_a_short_list_of_places_with_london_chosen_then_other():
    field = SignUpForm().fields["time_zone"]
    labels = [label for _, label in field.choices]
    assert labels[:2] == ["UK (London)", "Ireland (Dublin)"]
    assert "US Eastern (New York)" in labels
    assert labels[-1] == "Other time zone"
    assert len(labels) <= 15
    assert field.initial == "Europe/London"


def test_other_time_zone_takes_any_zone_from_the_full_list():
    form = sign_up_form(time_zone="other", other_time_zone="Asia/Ulaanbaatar")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["time_zone"] == "Asia/Ulaanbaatar"


def test_other_time_zone_without_a_zone_asks_for_one():
    form = sign_up_form(time_zone="other", other_time_zone="")
    assert not form.is_valid()
    assert form.errors["other_time_zone"] == ["Choose your time zone from the list."]


def test_a_zone_from_the_short_list_ignores_the_full_list():
    form = sign_up_form(time_zone="Europe/Dublin", other_time_zone="Asia/Tokyo")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["time_zone"] == "Europe/Dublin"


def test_sign_in_asks_for_an_email_address_so_phones_offer_their_email_keyboard():
    html = str(EmailAuthenticationForm()["username"])
    assert html.count("type=") == 1
    assert 'type="email"' in html
    assert 'autocomplete="email"' in html
    assert "autofocus" not in html


def test_time_zone_choices_are_readable_names_without_the_machine_s_own():
    choices = dict(time_zone_choices())
    assert choices["America/New_York"] == "America/New York"
    assert "localtime" not in choices
    assert "Factory" not in choices


def test_common_time_zones_come_first_and_every_other_zone_follows():
    (first, common), (_, others) = grouped_time_zone_choices()
    assert first == "Common time zones"
    assert common[0] == ("Europe/London", "Europe/London")
    assert len(common) < 40
    names = [name for name, _ in common + others]
    assert sorted(names) == sorted(dict(time_zone_choices()))
