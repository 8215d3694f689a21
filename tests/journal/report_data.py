"""A typical month of a journal, as a person takes it to a GP: the doctor report's tests."""

from datetime import UTC, datetime, time, timedelta

from accounts.models import User
from journal.models import Duration, Plan, Region, SavedCheck, Side
from journal.plan import plan_steps
from journal.timezones import person_today
from tests.journal.factories import CheckInFactory, EntryFactory
from tests.journal.insights_data import make_person
from tests.triage.answer_sets import BENIGN

MONTH_ENTRIES = 56
PLACES = (
    (Region.CALF, Side.LEFT),
    (Region.CALF, Side.RIGHT),
    (Region.THIGH, Side.LEFT),
    (Region.EYELID, Side.RIGHT),
)
NOTE = "After a long run and two strong coffees; it stopped once I sat down."


def typical_month(email: str = "ana@example.com") -> User:
    """56 twitches over the last 28 days (two a day, some with notes or a cramp), a daily
    check-in rating how bothered the person was, a self-care plan, and a saved self-check."""
    person = make_person(email, time_zone="UTC")
    today = person_today(person)
    for number in range(MONTH_ENTRIES):
        day = today - timedelta(days=number // 2)
        EntryFactory(
            user=person,
            occurred_at=datetime.combine(day, time(8 + 9 * (number % 2)), tzinfo=UTC),
            region=PLACES[number % 4][0],
            side=PLACES[number % 4][1],
            duration=Duration.SECONDS if number % 3 else Duration.MINUTES,
            intensity=1 + number % 4,
            cramp=number % 9 == 0,
            notes=NOTE if number % 4 == 0 else "",
        )
    for offset in range(28):
        CheckInFactory(
            user=person,
            day=today - timedelta(days=offset),
            bother=2 + offset % 5,
            caffeine_cups=4 if offset % 2 else 1,
        )
    plan = Plan.objects.create(user=person, started_on=today - timedelta(days=13))
    first_step = plan_steps()[0].id
    for offset in range(10):
        plan.set_steps(today - timedelta(days=offset), [first_step])
    answers = dict(BENIGN, duration="over_2_weeks", self_care_tried="under_3_weeks")
    SavedCheck.objects.create(
        user=person, answers=answers, level="see_doctor", ruleset_version="ana-rules"
    )
    return person
