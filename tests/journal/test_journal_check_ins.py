"""Daily check-ins: one a day, made or changed in a few taps, and shown on the timeline."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from journal.models import CheckIn
from journal.timezones import person_today
from tests.journal.factories import CheckInFactory, EntryFactory
from tests.page_text import chosen, visible_text

pytestmark = pytest.mark.django_db

DAY = {
    "bother": "6",
    "caffeine_cups": "4",
    "sleep_hours": "6.5",
    "stress": "3",
    "hard_exercise": "True",
    "water_litres": "",
    "new_medicine": "False",
}


def test_checking_in_for_today_saves_the_day_and_the_timeline_says_so(person_client, person):
    page = visible_text(person_client.get("/journal/").content.decode())
    assert "Check in for today" in page

    response = person_client.post("/journal/day/", DAY, follow=True)

    page = visible_text(response.content.decode())
    assert "Your check-in for today is saved." in page
    assert "Change today's check-in" in page
    check_in = CheckIn.objects.get()
    assert (check_in.user, check_in.day) == (person, person_today(person))
    assert (check_in.bother, check_in.caffeine_cups, check_in.sleep_hours) == (
        6,
        4,
        Decimal("6.5"),
    )
    assert (check_in.hard_exercise, check_in.new_medicine, check_in.water_litres) == (
        True,
        False,
        None,
    )


def test_checking_in_again_changes_the_day_s_one_check_in(person_client, person):
    CheckInFactory(user=person, bother=2, caffeine_cups=1)
    page = person_client.get("/journal/day/").content.decode()
    assert "Change your check-in for today" in visible_text(page)
    assert chosen(page, "bother") == {"2"}

    person_client.post("/journal/day/", DAY | {"bother": "8"})

    check_in = CheckIn.objects.get()
    assert (check_in.bother, check_in.caffeine_cups) == (8, 4)


def test_every_answer_may_be_left_out(person_client):
    person_client.post("/journal/day/", {})
    check_in = CheckIn.objects.get()
    assert (check_in.bother, check_in.stress, check_in.hard_exercise) == (None, None, None)


def test_a_recent_day_can_be_checked_in(person_client, person):
    yesterday = person_today(person) - timedelta(days=1)
    page = visible_text(person_client.get("/journal/day/").content.decode())
    assert "Yesterday" in page

    page = visible_text(person_client.get(f"/journal/day/{yesterday}/").content.decode())
    assert "Check in for yesterday" in page
    person_client.post(f"/journal/day/{yesterday}/", DAY)

    assert CheckIn.objects.get().day == yesterday


@pytest.mark.parametrize("days_ahead", [1, -31])
def test_days_ahead_or_long_ago_are_not_found(person_client, person, days_ahead):
    day = person_today(person) + timedelta(days=days_ahead)
    assert person_client.get(f"/journal/day/{day}/").status_code == 404


@pytest.mark.parametrize("path", ["/journal/day/2026-02-30/", "/journal/day/2026-13-01/"])
def test_a_date_that_does_not_exist_is_not_found(person_client, path):
    assert person_client.get(path).status_code == 404


def test_bad_answers_are_named_and_the_rest_kept(person_client):
    response = person_client.post("/journal/day/", DAY | {"bother": "11", "sleep_hours": "30"})

    html = response.content.decode()
    page = visible_text(html)
    assert "Choose how much it bothered you, from 0 to 10." in page
    assert "Enter hours of sleep from 0 to 24 hours." in page
    assert chosen(html, "stress") == {"3"}
    assert 'value="4"' in html
    assert not CheckIn.objects.exists()


def test_sending_the_form_twice_saves_once(person_client):
    page = person_client.get("/journal/day/").content.decode()
    token = page.split('name="once" value="')[1].split('"')[0]

    for _ in range(2):
        person_client.post("/journal/day/", DAY | {"once": token})

    assert CheckIn.objects.count() == 1


def test_another_person_s_check_in_for_the_same_day_is_never_shown_or_changed(
    person_client, person, other_person
):
    theirs = CheckInFactory(user=other_person, day=person_today(person), bother=9)

    page = person_client.get("/journal/day/").content.decode()
    assert "Check in for today" in visible_text(page)
    assert "9" not in chosen(page, "bother")
    person_client.post("/journal/day/", DAY)

    theirs.refresh_from_db()
    assert theirs.bother == 9
    assert CheckIn.objects.filter(user=person).get().bother == 6


def test_a_check_in_can_be_deleted_after_asking(person_client, person):
    check_in = CheckInFactory(user=person)
    page = visible_text(person_client.get("/journal/day/").content.decode())
    assert "Delete this check-in" in page

    asked = visible_text(
        person_client.get(f"/journal/check-ins/{check_in.pk}/delete/").content.decode()
    )
    assert "Delete this check-in?" in asked
    response = person_client.post(f"/journal/check-ins/{check_in.pk}/delete/", follow=True)

    assert "The check-in is deleted." in visible_text(response.content.decode())
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_nobody_can_delete_another_person_s_check_in(person_client, other_person, method):
    theirs = CheckInFactory(user=other_person)
    response = getattr(person_client, method)(f"/journal/check-ins/{theirs.pk}/delete/")
    assert response.status_code == 404
    assert CheckIn.objects.get() == theirs


def test_signed_out_people_are_asked_to_sign_in(client):
    response = client.get("/journal/day/")
    assert response.status_code == 302
    assert "sign-in" in response["Location"]


def test_the_timeline_s_caffeine_filter_shows_the_entries_of_coffee_days(person_client, person):
    """Tokyo is UTC+9: 20:00 UTC on 1 December is the morning of 2 December there."""
    person.time_zone = "Asia/Tokyo"
    person.save()
    on_the_coffee_day = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
    CheckInFactory(user=person, day=on_the_coffee_day.date() + timedelta(days=1), caffeine_cups=4)
    CheckInFactory(user=person, day=on_the_coffee_day.date(), caffeine_cups=0)
    EntryFactory(user=person, occurred_at=on_the_coffee_day, notes="coffee day")
    EntryFactory(user=person, occurred_at=on_the_coffee_day - timedelta(hours=12), notes="quiet")

    page = visible_text(person_client.get("/journal/?trigger=caffeine").content.decode())

    assert "1 entry match your filters." in page
    assert "coffee day" in page
    assert "quiet" not in page


def test_check_ins_show_no_time_of_their_own(person_client, person):
    CheckInFactory(user=person, day=timezone.localdate())
    assert person_client.get("/journal/").status_code == 200
