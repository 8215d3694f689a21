"""The self-care plan: start it, tick off each day, and compare twitches before and during."""

from datetime import UTC, date, datetime, timedelta

import pytest

from journal.models import Plan, PlanCheck, Region
from journal.plan import plan_progress
from journal.timezones import person_today
from tests.journal.factories import CheckInFactory
from tests.journal.insights_data import entry, make_person
from tests.page_text import chosen, table_rows, visible_text
from triage.engine import get_ruleset

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(client):
    person = make_person()
    client.force_login(person)
    return person


def test_the_plan_page_offers_the_five_steps_before_it_starts(client, person):
    html = client.get("/journal/plan/").content.decode()
    for title in ("Cut down on caffeine", "Drink enough", "Sleep well", "Calm your stress",
                  "Keep a twitch journal"):  # fmt: skip
        assert title in html
    assert "Start my 28-day plan today" in html


def test_ticking_off_a_day_without_javascript_saves_and_comes_back(client, person):
    client.post("/journal/plan/start/")
    today = person_today(person)
    response = client.post(
        "/journal/plan/check/", {"day": today.isoformat(), "steps": ["sleep", "stress"]}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/journal/plan/?day={today.isoformat()}"
    html = client.get(response["Location"]).content.decode()
    assert "Saved your steps for" in html
    assert "Steps done so far: 2 of 5 (40%)" in html
    assert chosen(html, "steps") == {"sleep", "stress"}


def test_ticking_off_a_day_with_htmx_returns_the_tracker_only(client, person):
    client.post("/journal/plan/start/")
    today = person_today(person).isoformat()
    client.post("/journal/plan/check/", {"day": today, "steps": ["sleep", "stress"]})
    response = client.post(
        "/journal/plan/check/",
        {"day": today, "steps": ["caffeine"]},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<title>") or '<div id="plan-tracker"' in html
    assert "<html" not in html
    assert "data-focus-on-swap" in html
    assert "Steps done so far: 1 of 5" in html
    assert set(PlanCheck.objects.values_list("step_id", flat=True)) == {"caffeine"}


@pytest.mark.parametrize(
    "data",
    [
        {"day": "2001-01-01", "steps": ["sleep"]},
        {"day": "2999-01-01", "steps": ["sleep"]},
        {"day": "not a day"},
        {"day": "{today}", "steps": ["<x-hostile>"]},
    ],
)
def test_a_forged_day_or_step_is_refused_without_saving(client, person, data):
    client.post("/journal/plan/start/")
    data = {**data, "day": data["day"].replace("{today}", person_today(person).isoformat())}
    response = client.post("/journal/plan/check/", data)
    assert response.status_code == 400
    assert "<x-hostile>" not in response.content.decode()
    assert not PlanCheck.objects.exists()


def test_ticking_before_a_plan_starts_goes_back_to_the_plan_page(client, person):
    response = client.post("/journal/plan/check/", {"day": "2026-11-25", "steps": ["sleep"]})
    assert response.status_code == 302
    assert not PlanCheck.objects.exists()


def test_progress_compares_twitches_a_day_before_and_during_the_plan():
    person = make_person(time_zone="UTC")
    plan = Plan.objects.create(user=person, started_on=date(2026, 11, 11))
    for day in range(1, 11):  # 10 twitches in the 10 days before: 1 a day
        entry(person, datetime(2026, 11, day, 9, tzinfo=UTC), Region.CALF)
    entry(person, datetime(2026, 10, 31, 23, 59, tzinfo=UTC), Region.CALF)  # before the window
    for hours in (1, 5):  # 2 twitches during the first 10 days
        entry(person, datetime(2026, 11, 11, hours, tzinfo=UTC), Region.CALF)
    PlanCheck.objects.create(plan=plan, day=date(2026, 11, 11), step_id="sleep")
    PlanCheck.objects.create(plan=plan, day=date(2026, 11, 12), step_id="retired-step")
    progress = plan_progress(plan, date(2026, 11, 20), UTC)
    assert progress.days_so_far == 10
    assert (progress.before.start, progress.before.end) == (date(2026, 11, 1), date(2026, 11, 10))
    assert (progress.before.twitches, progress.before.per_day) == (10, 1.0)
    assert (progress.during.twitches, progress.during.per_day) == (2, 0.2)
    assert (progress.checks_done, progress.checks_possible) == (1, 50)
    assert progress.day(date(2026, 11, 21)).is_future


def rate_days(person, first: date, ratings: list[int | None]) -> None:
    for offset, bother in enumerate(ratings):
        CheckInFactory(user=person, day=first + timedelta(days=offset), bother=bother)


def test_the_plan_shows_bother_in_the_14_days_before_it_against_during_it(client, person):
    start = person_today(person) - timedelta(days=3)
    Plan.objects.create(user=person, started_on=start)
    rate_days(person, start - timedelta(days=15), [10, 7, 8, None, 6])  # the 10 is too early
    rate_days(person, start - timedelta(days=2), [5, 3])
    rate_days(person, start, [2, None, 4, 3])

    html = client.get("/journal/plan/").content.decode()

    rows = table_rows(html, "How much the twitching bothered you")
    assert [row[0] for row in rows] == ["Period", "Before the plan", "During the plan"]
    assert rows[1][2:] == ["5", "5.8", "3 to 8"]
    assert rows[2][2:] == ["3", "3.0", "2 to 4"]
    assert "Not enough days rated yet" not in html


def test_too_few_rated_days_show_no_bother_comparison_and_say_why(client, person):
    today = person_today(person)
    client.post("/journal/plan/start/")
    rate_days(person, today - timedelta(days=2), [6, 5])

    page = visible_text(client.get("/journal/plan/").content.decode())

    assert (
        "Not enough days rated yet: 2 in the 14 days before the plan and 0 during it. "
        "Once there are at least 3 of each, this shows them side by side."
    ) in page
    assert "Check in for today" in page


def test_another_person_s_ratings_are_not_counted(client, person, other_person):
    today = person_today(person)
    client.post("/journal/plan/start/")
    rate_days(other_person, today - timedelta(days=5), [9, 9, 9, 9, 9, 9])

    page = visible_text(client.get("/journal/plan/").content.decode())

    assert "Not enough days rated yet: 0 in the 14 days before the plan and 0 during it." in page


def test_a_finished_plan_compares_all_28_days():
    person = make_person(time_zone="UTC")
    plan = Plan.objects.create(user=person, started_on=date(2026, 10, 1))
    progress = plan_progress(plan, date(2026, 12, 1), UTC)
    assert progress.finished
    assert progress.during.days == 28
    assert progress.before.end == date(2026, 9, 30)
    assert progress.before.start == date(2026, 10, 1) - timedelta(days=28)


def test_a_plan_dated_tomorrow_shows_when_it_starts_and_no_page_fails(client, person):
    tomorrow = person_today(person) + timedelta(days=1)
    Plan.objects.create(user=person, started_on=tomorrow)
    page = client.get("/journal/plan/")
    assert page.status_code == 200
    assert f"Your plan starts on {tomorrow:%A %-d %B %Y}" in page.content.decode()
    ticked = client.post("/journal/plan/check/", {"day": tomorrow.isoformat(), "steps": ["sleep"]})
    assert ticked.status_code == 302
    assert PlanCheck.objects.count() == 0
    client.post("/journal/plan/start/")
    html = client.get("/journal/plan/").content.decode()
    assert "Day 1 of 28" in html


def test_ending_a_plan_keeps_its_days_and_offers_a_new_one(client, person):
    today = person_today(person)
    plan = Plan.objects.create(user=person, started_on=today - timedelta(days=5))
    PlanCheck.objects.create(plan=plan, day=plan.started_on, step_id="sleep")
    assert client.get(f"/journal/plan/{plan.pk}/end/").status_code == 405
    response = client.post(f"/journal/plan/{plan.pk}/end/", follow=True)
    html = response.content.decode()
    assert "Your plan is ended" in html
    assert f"to {today:%-d %B %Y}, when you ended it" in html
    assert "Your 6 days" in html
    assert "Start a new 28-day plan" in html
    plan.refresh_from_db()
    assert plan.ended_on == today
    assert plan.checks.count() == 1


def test_deleting_a_plan_asks_first_then_removes_it_and_its_days(client, person):
    plan = Plan.objects.create(user=person, started_on=person_today(person))
    PlanCheck.objects.create(plan=plan, day=plan.started_on, step_id="sleep")
    confirm = client.get(f"/journal/plan/{plan.pk}/delete/")
    assert "Delete this plan?" in confirm.content.decode()
    assert Plan.objects.count() == 1
    response = client.post(f"/journal/plan/{plan.pk}/delete/", follow=True)
    assert "The plan and the days you ticked off in it are deleted." in response.content.decode()
    assert Plan.objects.count() == PlanCheck.objects.count() == 0


def test_nobody_can_end_or_delete_another_persons_plan(client, person):
    other = make_person("ben@example.com")
    plan = Plan.objects.create(user=other, started_on=person_today(other))
    assert client.post(f"/journal/plan/{plan.pk}/end/").status_code == 404
    assert client.get(f"/journal/plan/{plan.pk}/delete/").status_code == 404
    assert client.post(f"/journal/plan/{plan.pk}/delete/").status_code == 404
    plan.refresh_from_db()
    assert plan.ended_on is None


def test_the_plan_aims_to_bother_you_less_not_to_stop_every_twitch(client, person):
    html = client.get("/journal/plan/").content.decode()
    assert get_ruleset().self_care_plan.goal in html
    assert "Looking back" not in html


def test_a_finished_plan_ends_with_a_review_and_leave_to_stop_logging(client, person):
    today = person_today(person)
    Plan.objects.create(user=person, started_on=today - timedelta(days=30))
    html = client.get("/journal/plan/").content.decode()
    assert "Looking back" in html
    assert get_ruleset().self_care_plan.review in html
    assert "you can stop keeping the journal" in html
