"""The doctor report: what a person's journal shows for a range of dates, for a clinician.

Page 1 is the summary a GP reads first (onset, where, the features asked and their answers,
the latest self-check, what was tried and how bothered the person has been); then the
detail: counts by week, the entries, and trigger comparisons only where there are enough
days to compare.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.db.models.functions import TruncDate

from accounts.models import User
from journal.flags import Check, JournalFlags, journal_flags
from journal.models import CheckIn, Entry, Plan, Region, Side
from journal.patterns import Patterns, TriggerComparison, journal_patterns
from journal.plan import PLAN_DAYS, plan_end, plan_steps
from journal.saved_results import level_label, saved_answer_rows
from journal.timezones import day_start, person_today, person_tz
from triage.engine import get_ruleset

REPORT_DAYS = 28
# Enough for two months of typical logging; a longer range says where the rest are.
REPORT_ROWS = 120
# Counts by week for up to this many rows; a longer range counts in longer blocks.
MOST_PERIODS = 13
# What an entry can have ticked beside the twitch, in the report's order.
TICKS = ("weakness", "muscle_thinning", "numbness", "cramp")
# The self-check questions on features a clinician asks about: listed answered or not.
FEATURES = frozenset(
    {"weakness", "wasting", "numbness", "speech_swallow", "family_history", "medicine"}
)
# Shown beside what to try rather than among the answers.
TRIED = "self_care_tried"
NOT_ASKED = "Not asked"


@dataclass(frozen=True)
class Place:
    """One part of the body and the twitches in it, by side."""

    label: str
    total: int
    sides: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Period:
    """A week (or a longer block) of the report: its twitches, areas and ratings."""

    start: date
    end: date
    twitches: int
    days: int
    areas: tuple[str, ...]
    bother: float | None


@dataclass(frozen=True)
class Tick:
    """One thing an entry can have ticked: on how many of the period's entries, and when last."""

    label: str
    count: int
    latest: date | None


@dataclass(frozen=True)
class Bother:
    """The person's own daily ratings of how much the twitching bothered them, 0 to 10."""

    days: int
    average: float
    lowest: int
    highest: int
    latest: int
    latest_day: date


@dataclass(frozen=True)
class StepDone:
    title: str
    days: int


@dataclass(frozen=True)
class PlanSummary:
    started_on: date
    ended_early: bool
    days_so_far: int
    length: int
    steps: tuple[StepDone, ...]


@dataclass(frozen=True)
class DoctorReport:
    patterns: Patterns
    entries: list[Entry]
    flags: JournalFlags
    latest_check: Check | None
    latest_rows: list[tuple[str, str]]
    latest_level: str
    tried_answer: str
    tz: ZoneInfo
    first_day: date | None
    places: tuple[Place, ...]
    periods: tuple[Period, ...]
    period_days: int
    ticks: tuple[Tick, ...]
    bother: Bother | None
    new_medicine_days: int
    plan: PlanSummary | None
    comparisons: tuple[TriggerComparison, ...]
    ruleset_version: str


def default_dates(user: User) -> dict[str, date]:
    """The last `REPORT_DAYS` days up to today, where the person is."""
    today = person_today(user)
    return {"from": today - timedelta(days=REPORT_DAYS - 1), "to": today}


def _places(rows: list[dict]) -> tuple[Place, ...]:
    by_region: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        by_region[row["region"]][row["side"]] += row["twitches"]
    places = [
        Place(
            label=Region(region).label,
            total=sum(sides.values()),
            sides=tuple((Side(side).label.lower(), n) for side, n in sides.most_common()),
        )
        for region, sides in by_region.items()
    ]
    return tuple(sorted(places, key=lambda place: -place.total))


def _period_days(start: date, end: date) -> int:
    return max(7, math.ceil(((end - start).days + 1) / MOST_PERIODS))


def _periods(
    rows: list[dict], ratings: dict[date, int], start: date, end: date, length: int
) -> tuple[Period, ...]:
    periods = []
    first = start
    while first <= end:
        last = min(end, first + timedelta(days=length - 1))
        here = [row for row in rows if first <= row["day"] <= last]
        areas: Counter = Counter()
        for row in here:
            areas[Region(row["region"]).label] += row["twitches"]
        rated = [value for day, value in ratings.items() if first <= day <= last]
        periods.append(
            Period(
                start=first,
                end=last,
                twitches=sum(row["twitches"] for row in here),
                days=len({row["day"] for row in here}),
                areas=tuple(label for label, _ in areas.most_common()),
                bother=sum(rated) / len(rated) if rated else None,
            )
        )
        first = last + timedelta(days=1)
    return tuple(periods)


def _ticks(rows: list[dict]) -> tuple[Tick, ...]:
    return tuple(
        Tick(
            label=str(Entry._meta.get_field(name).verbose_name),
            count=sum(row[name] for row in rows),
            latest=max((row["day"] for row in rows if row[name]), default=None),
        )
        for name in TICKS
    )


def _bother(ratings: dict[date, int]) -> Bother | None:
    if not ratings:
        return None
    latest_day = max(ratings)
    values = list(ratings.values())
    return Bother(
        days=len(values),
        average=sum(values) / len(values),
        lowest=min(values),
        highest=max(values),
        latest=ratings[latest_day],
        latest_day=latest_day,
    )


def _plan(user: User, end: date) -> PlanSummary | None:
    """The newest self-care plan begun by `end`, with the days each step was ticked by then."""
    steps = plan_steps()
    plan = (
        Plan.objects.for_user(user)
        .filter(started_on__lte=end)
        .annotate(
            **{
                f"step_{number}": Count(
                    "checks", filter=Q(checks__step_id=step.id, checks__day__lte=end)
                )
                for number, step in enumerate(steps)
            }
        )
        .first()
    )
    if plan is None:
        return None
    last = min(plan_end(plan), end, person_today(user))
    return PlanSummary(
        started_on=plan.started_on,
        ended_early=plan.ended_on is not None and plan.ended_on <= end,
        days_so_far=(last - plan.started_on).days + 1,
        length=PLAN_DAYS,
        steps=tuple(
            StepDone(step.title, getattr(plan, f"step_{number}"))
            for number, step in enumerate(steps)
        ),
    )


def doctor_report(*, user: User, start: date, end: date) -> DoctorReport:
    """The journal for `start`..`end`, with the red flags and the latest saved self-check as
    they stood at the end of `end`, local time."""
    tz = person_tz(user)
    until = day_start(end + timedelta(days=1), tz)
    flags = journal_flags(user, until=until)
    latest = flags.check
    entries = Entry.objects.for_user(user).on_days(start, end, tz)
    rows = list(
        entries.annotate(day=TruncDate("occurred_at", tzinfo=tz))
        .values("day", "region", "side")
        .annotate(
            twitches=Count("id"), **{name: Count("id", filter=Q(**{name: True})) for name in TICKS}
        )
        .order_by()
    )
    days = CheckIn.objects.for_user(user).filter(day__gte=start, day__lte=end)
    check_ins = list(days.values_list("day", "bother", "new_medicine"))
    ratings = {day: bother for day, bother, _ in check_ins if bother is not None}
    length = _period_days(start, end)
    patterns = journal_patterns(user, start, end)
    return DoctorReport(
        patterns=patterns,
        entries=list(entries.order_by("occurred_at", "pk")[:REPORT_ROWS]),
        flags=flags,
        latest_check=latest,
        latest_rows=check_rows(dict(latest.answers) if latest else {}),
        latest_level=level_label(latest.level, unknown=latest.level) if latest else "",
        tried_answer=_tried(latest),
        tz=tz,
        first_day=min((row["day"] for row in rows), default=None),
        places=_places(rows),
        periods=_periods(rows, ratings, start, end, length),
        period_days=length,
        ticks=_ticks(rows),
        bother=_bother(ratings),
        new_medicine_days=sum(1 for _, _, new_medicine in check_ins if new_medicine),
        plan=_plan(user, end),
        comparisons=tuple(trigger for trigger in patterns.triggers if trigger.enough_days),
        ruleset_version=get_ruleset().version,
    )


def check_rows(answers: dict) -> list[tuple[str, str]]:
    """A self-check's answers as (question, answer) in the ruleset's words and order, with
    the feature questions it did not ask marked as such; answers from older rules last."""
    ids = [question.id for question in get_ruleset().questions]
    rows = []
    for qid in ids:
        if qid in answers and qid != TRIED:
            rows += saved_answer_rows({qid: answers[qid]})
        elif qid in FEATURES and qid not in answers:
            rows.append((get_ruleset().question(qid).text, NOT_ASKED))
    return rows + saved_answer_rows({k: v for k, v in answers.items() if k not in ids})


def _tried(latest: Check | None) -> str:
    """The saved self-check's answer on self-care already tried, in the ruleset's words."""
    if latest is None or TRIED not in latest.answers:
        return ""
    return saved_answer_rows({TRIED: latest.answers[TRIED]})[0][1]
