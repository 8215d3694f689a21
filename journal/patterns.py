"""The counts behind the journal's charts and report.

Each function is one SQL query however many entries a person has: the database groups
and counts, and Python only sorts a few dozen rows into chart-sized pieces.
"""

import math
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Case, CharField, Count, Max, Min, Q, QuerySet, Value, When
from django.db.models.functions import ExtractHour, TruncDate

from accounts.models import User
from journal.models import Entry, Region
from journal.timezones import person_today, person_tz

WINDOW_DAYS = 56
PARTS_OF_DAY = (
    ("night", "Night (midnight to 6am)", 0),
    ("morning", "Morning (6am to noon)", 6),
    ("afternoon", "Afternoon (noon to 6pm)", 12),
    ("evening", "Evening (6pm to midnight)", 18),
)
FEW_DAYS = 3
# Below this many days with twitches, the daily chart is mostly empty bars: the page lists
# those days instead.
SPARSE_DAYS = 8
CHART_WIDTH = 300
DAY_CHART_HEIGHT = 120


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    count: int
    width: int
    y: int = 0


@dataclass(frozen=True)
class DayBar:
    day: date
    count: int
    x: int
    y: int
    height: int


@dataclass(frozen=True)
class TriggerComparison:
    id: str
    title: str
    with_label: str
    without_label: str
    with_days: int
    with_twitches: int
    without_days: int
    without_twitches: int
    with_width: int = 0
    without_width: int = 0

    @property
    def with_rate(self) -> float | None:
        return self.with_twitches / self.with_days if self.with_days else None

    @property
    def without_rate(self) -> float | None:
        return self.without_twitches / self.without_days if self.without_days else None

    @property
    def enough_days(self) -> bool:
        return self.with_days >= FEW_DAYS and self.without_days >= FEW_DAYS


@dataclass(frozen=True)
class Patterns:
    start: date
    end: date
    total: int
    days_with_twitches: int
    days: tuple[DayBar, ...]
    busiest: DayBar | None
    regions: tuple[Bar, ...]
    parts_of_day: tuple[Bar, ...]
    triggers: tuple[TriggerComparison, ...]

    @property
    def day_count(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def per_day(self) -> float:
        return self.total / self.day_count

    @property
    def is_sparse(self) -> bool:
        return self.days_with_twitches < SPARSE_DAYS

    @property
    def twitch_days(self) -> list[DayBar]:
        return [bar for bar in self.days if bar.count]

    @property
    def body_shades(self) -> dict[str, int]:
        """Each region's shade on the body map: 0 for none, up to 4 for the most twitches."""
        largest = max((bar.count for bar in self.regions), default=0)
        return {bar.key: math.ceil(4 * bar.count / largest) for bar in self.regions if largest}


def day_rows(entries: QuerySet[Entry], tz: ZoneInfo) -> list[dict]:
    """One row per local day with twitches: the count and that day's trigger context."""
    return list(
        entries.annotate(day=TruncDate("occurred_at", tzinfo=tz))
        .values("day")
        .annotate(
            twitches=Count("id"),
            caffeine=Max("caffeine_cups"),
            sleep=Min("sleep_hours"),
            stress=Max("stress"),
            exercised=Count("id", filter=Q(hard_exercise=True)),
            rested=Count("id", filter=Q(hard_exercise=False)),
        )
        .order_by("day")
    )


def region_time_rows(entries: QuerySet[Entry], tz: ZoneInfo) -> list[dict]:
    """Counts by body region and part of the day (local time), at most 14 × 4 rows."""
    hour = ExtractHour("occurred_at", tzinfo=tz)
    part = Case(
        *(When(hour__lt=start + 6, then=Value(key)) for key, _, start in PARTS_OF_DAY[:-1]),
        default=Value(PARTS_OF_DAY[-1][0]),
        output_field=CharField(),
    )
    return list(
        entries.annotate(hour=hour, part=part)
        .values("region", "part")
        .annotate(twitches=Count("id"))
        .order_by("region", "part")
    )


def _scaled(count: float, largest: float, size: int = CHART_WIDTH) -> int:
    if not count or not largest:
        return 0
    return max(2, round(count / largest * size))


def _bars(counts: Counter, labels: list[tuple[str, str]], keep_empty: bool) -> tuple[Bar, ...]:
    largest = max(counts.values(), default=0)
    rows = [(key, label, counts.get(key, 0)) for key, label in labels]
    if not keep_empty:
        rows = sorted((row for row in rows if row[2]), key=lambda row: -row[2])
    return tuple(
        Bar(key, label, count, _scaled(count, largest), y=index * 28)
        for index, (key, label, count) in enumerate(rows)
    )


def _day_bars(rows: list[dict], start: date, end: date) -> tuple[DayBar, ...]:
    by_day = {row["day"]: row["twitches"] for row in rows}
    largest = max(by_day.values(), default=0)
    bars = []
    for offset in range((end - start).days + 1):
        day = start + timedelta(days=offset)
        count = by_day.get(day, 0)
        height = _scaled(count, largest, DAY_CHART_HEIGHT)
        bars.append(DayBar(day, count, offset * 10, DAY_CHART_HEIGHT - height, height))
    return tuple(bars)


def _compare(
    rows: list[dict], id: str, title: str, labels: tuple[str, str], sort
) -> TriggerComparison:
    """Twitches a day on days in one group against the other; sort(row) -> True, False or None."""
    counts = {True: [0, 0], False: [0, 0]}
    for row in rows:
        group = sort(row)
        if group is not None:
            counts[group][0] += 1
            counts[group][1] += row["twitches"]
    (with_days, with_twitches), (without_days, without_twitches) = counts[True], counts[False]
    with_rate = with_twitches / with_days if with_days else 0
    without_rate = without_twitches / without_days if without_days else 0
    largest = max(with_rate, without_rate)
    return TriggerComparison(
        id,
        title,
        *labels,
        with_days,
        with_twitches,
        without_days,
        without_twitches,
        with_width=_scaled(with_rate, largest),
        without_width=_scaled(without_rate, largest),
    )


def _sleep_group(row: dict) -> bool | None:
    if row["sleep"] is None or row["sleep"] > 9:
        return None
    return row["sleep"] < 7


def trigger_comparisons(rows: list[dict]) -> tuple[TriggerComparison, ...]:
    return (
        _compare(
            rows,
            "caffeine",
            "Caffeine",
            ("3 or more cups", "Fewer than 3 cups"),
            lambda row: None if row["caffeine"] is None else row["caffeine"] >= 3,
        ),
        _compare(
            rows,
            "sleep",
            "Sleep the night before",
            ("Less than 7 hours", "7 to 9 hours"),
            _sleep_group,
        ),
        _compare(
            rows,
            "stress",
            "Stress",
            ("High stress (4 or 5)", "Lower stress (0 to 3)"),
            lambda row: None if row["stress"] is None else row["stress"] >= 4,
        ),
        _compare(
            rows,
            "exercise",
            "Hard exercise",
            ("Hard exercise", "No hard exercise"),
            lambda row: True if row["exercised"] else (False if row["rested"] else None),
        ),
    )


def journal_patterns(user: User, start: date, end: date) -> Patterns:
    """Everything the charts show for `start`..`end` (local dates): two SQL queries."""
    tz = person_tz(user)
    entries = Entry.objects.for_user(user).on_days(start, end, tz)
    days = day_rows(entries, tz)
    regions: Counter = Counter()
    parts: Counter = Counter()
    for row in region_time_rows(entries, tz):
        regions[row["region"]] += row["twitches"]
        parts[row["part"]] += row["twitches"]
    day_bars = _day_bars(days, start, end) if (end - start).days < 400 else ()
    busiest = max(day_bars, key=lambda bar: bar.count, default=None)
    return Patterns(
        start=start,
        end=end,
        total=sum(row["twitches"] for row in days),
        days_with_twitches=len(days),
        days=day_bars,
        busiest=busiest if busiest and busiest.count else None,
        regions=_bars(regions, list(Region.choices), keep_empty=False),
        parts_of_day=_bars(parts, [(key, label) for key, label, _ in PARTS_OF_DAY], True),
        triggers=trigger_comparisons(days),
    )


def recent_patterns(user: User) -> Patterns:
    today = person_today(user)
    return journal_patterns(user, today - timedelta(days=WINDOW_DAYS - 1), today)
