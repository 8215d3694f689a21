"""The five-step self-care plan as a 28-day tracker, with twitches and daily bother before
it against during it."""

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Q

from journal.models import CheckIn, Entry, Plan, PlanCheck
from journal.timezones import day_start
from triage.engine import SelfCareStep, get_ruleset

PLAN_DAYS = 28
# Bother is compared over this many days before the plan, and only with at least
# ENOUGH_RATINGS rated days on each side.
BOTHER_DAYS_BEFORE = 14
ENOUGH_RATINGS = 3


def plan_steps() -> tuple[SelfCareStep, ...]:
    return get_ruleset().self_care_steps


def plan_end_day(started_on: date) -> date:
    return started_on + timedelta(days=PLAN_DAYS - 1)


def plan_end(plan: Plan) -> date:
    """The plan's last day: its 28th, or the day the person ended it."""
    last = plan_end_day(plan.started_on)
    return last if plan.ended_on is None else max(plan.started_on, min(plan.ended_on, last))


@dataclass(frozen=True)
class PlanDay:
    day: date
    number: int
    done: frozenset[str]
    is_today: bool
    is_future: bool

    @property
    def done_count(self) -> int:
        return len(self.done)


@dataclass(frozen=True)
class Frequency:
    start: date
    end: date
    twitches: int

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def per_day(self) -> float:
        return self.twitches / self.days


@dataclass(frozen=True)
class Bother:
    """The daily bother ratings (0 to 10) from check-ins from `start` to `end`."""

    start: date
    end: date
    ratings: tuple[int, ...]

    @property
    def days(self) -> int:
        return len(self.ratings)

    @property
    def average(self) -> float | None:
        return sum(self.ratings) / len(self.ratings) if self.ratings else None

    @property
    def lowest(self) -> int | None:
        return min(self.ratings, default=None)

    @property
    def highest(self) -> int | None:
        return max(self.ratings, default=None)


@dataclass(frozen=True)
class PlanProgress:
    plan: Plan
    days: tuple[PlanDay, ...]
    today: date
    before: Frequency
    during: Frequency
    bother_before: Bother
    bother_during: Bother

    @property
    def enough_bother(self) -> bool:
        return min(self.bother_before.days, self.bother_during.days) >= ENOUGH_RATINGS

    @property
    def bother_periods(self) -> tuple[tuple[str, Bother], ...]:
        return ("Before the plan", self.bother_before), ("During the plan", self.bother_during)

    @property
    def days_so_far(self) -> int:
        return sum(1 for day in self.days if not day.is_future)

    @property
    def finished(self) -> bool:
        return self.plan.ended_on is not None or self.today > self.last_day

    @property
    def last_day(self) -> date:
        return plan_end(self.plan)

    @property
    def upcoming(self) -> bool:
        """The plan starts after today: possible after moving to a time zone behind."""
        return self.today < self.plan.started_on

    @property
    def checks_done(self) -> int:
        return sum(day.done_count for day in self.days)

    @property
    def checks_possible(self) -> int:
        return self.days_so_far * len(plan_steps())

    @property
    def percent(self) -> int:
        return round(100 * self.checks_done / self.checks_possible) if self.checks_possible else 0

    def day(self, day: date) -> PlanDay | None:
        return next((plan_day for plan_day in self.days if plan_day.day == day), None)


def plan_progress(plan: Plan, today: date, tz: ZoneInfo) -> PlanProgress:
    """The plan's days with their check-offs, and twitches and bother before and during:
    3 queries."""
    done: dict[date, set[str]] = {}
    for day, step_id in PlanCheck.objects.filter(plan=plan).values_list("day", "step_id"):
        done.setdefault(day, set()).add(step_id)
    step_ids = {step.id for step in plan_steps()}
    days = tuple(
        PlanDay(
            day=day,
            number=offset + 1,
            done=frozenset(done.get(day, set()) & step_ids),
            is_today=day == today,
            is_future=day > today,
        )
        for offset in range((plan_end(plan) - plan.started_on).days + 1)
        for day in [plan.started_on + timedelta(days=offset)]
    )
    during_end = max(plan.started_on, min(today, plan_end(plan)))
    length = (during_end - plan.started_on).days + 1
    before_start = plan.started_on - timedelta(days=length)
    start_at, end_at = day_start(plan.started_on, tz), day_start(during_end + timedelta(days=1), tz)
    counts = Entry.objects.filter(
        user_id=plan.user_id,
        occurred_at__gte=day_start(before_start, tz),
        occurred_at__lt=end_at,
    ).aggregate(
        before=Count("id", filter=Q(occurred_at__lt=start_at)),
        during=Count("id", filter=Q(occurred_at__gte=start_at)),
    )
    day_before = plan.started_on - timedelta(days=1)
    bother_start = plan.started_on - timedelta(days=BOTHER_DAYS_BEFORE)
    ratings = list(
        CheckIn.objects.filter(
            user_id=plan.user_id, day__range=(bother_start, during_end), bother__isnull=False
        ).values_list("day", "bother")
    )
    before_plan = [bother for day, bother in ratings if day < plan.started_on]
    during_plan = [bother for day, bother in ratings if day >= plan.started_on]
    return PlanProgress(
        plan=plan,
        days=days,
        today=today,
        before=Frequency(before_start, day_before, counts["before"]),
        during=Frequency(plan.started_on, during_end, counts["during"]),
        bother_before=Bother(bother_start, day_before, tuple(before_plan)),
        bother_during=Bother(plan.started_on, during_end, tuple(during_plan)),
    )
