"""The counts behind the journal's charts and report.

Each function is one SQL query however many entries a person has: the database groups
and counts, and Python only sorts a few dozen rows into chart-sized pieces. The trigger
comparisons read the check-ins of the same days (one more query): only a check-in says
what a day was like, so only checked-in days are compared, twitch-free ones included.
"""

import math
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Case, CharField, Count, QuerySet, Value, When
from django.db.models.functions import ExtractHour, TruncDate

from accounts.models import User
from journal.models import CheckIn, Entry, Region
from journal.timezones import person_today, person_tz

WINDOW_DAYS = 56
PARTS_OF_DAY = (
    ("night", "Night (midnight to 6am)", 0),
    ("morning", "Morning (6am to noon)", 6),
    ("afternoon", "Afternoon (noon to 6pm)", 12),
    ("evening", "Evening (6pm to midnight)", 18),
)
FEW_DAYS = 3
# Averages closer than this many twitches a day are never called a clear difference.
CLEAR_GAP = 1.0
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
class Group:
    """The twitches counted on each checked-in day of one side of a comparison."""

    label: str
    counts: tuple[int, ...]

    @property
    def days(self) -> int:
        return len(self.counts)

    @property
    def twitches(self) -> int:
        return sum(self.counts)

    @property
    def rate(self) -> float | None:
        return self.twitches / self.days if self.days else None

    @property
    def fewest(self) -> int | None:
        return min(self.counts, default=None)

    @property
    def most(self) -> int | None:
        return max(self.counts, default=None)

    @property
    def middle_half(self) -> tuple[float, float]:
        """The range holding the middle half of the days' counts (quartile to quartile)."""
        low, _, high = statistics.quantiles(self.counts, n=4, method="inclusive")
        return low, high


@dataclass(frozen=True)
class TriggerComparison:
    """Twitches a day on checked-in days with a possible trigger against days without.

    Every checked-in day counts, a day without twitches as 0. There is a comparison only
    with at least FEW_DAYS days on each side (`enough_days`). A difference is called clear
    only when the averages are at least CLEAR_GAP twitches a day apart and the middle halves
    of the two sides' days do not overlap: most days on one side had more twitches than
    most days on the other. Anything less is "no clear difference", which with a few weeks
    of days is the honest answer most of the time.
    """

    id: str
    title: str
    with_group: Group
    without_group: Group

    with_label = property(lambda self: self.with_group.label)
    without_label = property(lambda self: self.without_group.label)
    with_days = property(lambda self: self.with_group.days)
    without_days = property(lambda self: self.without_group.days)
    with_twitches = property(lambda self: self.with_group.twitches)
    without_twitches = property(lambda self: self.without_group.twitches)
    with_rate = property(lambda self: self.with_group.rate)
    without_rate = property(lambda self: self.without_group.rate)

    @property
    def groups(self) -> tuple[Group, Group]:
        return self.with_group, self.without_group

    @property
    def enough_days(self) -> bool:
        return self.with_days >= FEW_DAYS and self.without_days >= FEW_DAYS

    @property
    def more_with(self) -> bool | None:
        """True if days with the trigger clearly had more twitches, False if clearly fewer,
        None if there is no clear difference (or too few days to say)."""
        if not self.enough_days:
            return None
        with_low, with_high = self.with_group.middle_half
        without_low, without_high = self.without_group.middle_half
        gap = self.with_rate - self.without_rate
        if gap >= CLEAR_GAP and with_low > without_high:
            return True
        if -gap >= CLEAR_GAP and without_low > with_high:
            return False
        return None


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
    """One row per local day with twitches: the day and its count."""
    return list(
        entries.annotate(day=TruncDate("occurred_at", tzinfo=tz))
        .values("day")
        .annotate(twitches=Count("id"))
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
    days: list[tuple[CheckIn, int]], id: str, title: str, labels: tuple[str, str], sort
) -> TriggerComparison:
    """Twitches on checked-in days in one group against the other; sort(check_in) -> True,
    False or None (not known, so the day is left out)."""
    counts: dict[bool, list[int]] = {True: [], False: []}
    for check_in, twitches in days:
        group = sort(check_in)
        if group is not None:
            counts[group].append(twitches)
    return TriggerComparison(
        id, title, Group(labels[0], tuple(counts[True])), Group(labels[1], tuple(counts[False]))
    )


def _sleep_group(check_in: CheckIn) -> bool | None:
    if check_in.sleep_hours is None or check_in.sleep_hours > 9:
        return None
    return check_in.sleep_hours < 7


def _at_least(name: str, value: int):
    return lambda check_in: (
        None if getattr(check_in, name) is None else getattr(check_in, name) >= value
    )


def trigger_comparisons(days: list[tuple[CheckIn, int]]) -> tuple[TriggerComparison, ...]:
    """The comparisons over every checked-in day, each with its count of twitches."""
    return (
        _compare(
            days,
            "caffeine",
            "Caffeine",
            ("3 or more cups", "Fewer than 3 cups"),
            _at_least("caffeine_cups", 3),
        ),
        _compare(
            days,
            "sleep",
            "Sleep the night before",
            ("Less than 7 hours", "7 to 9 hours"),
            _sleep_group,
        ),
        _compare(
            days,
            "stress",
            "Stress",
            ("High stress (4 or 5)", "Lower stress (0 to 3)"),
            _at_least("stress", 4),
        ),
        _compare(
            days,
            "exercise",
            "Hard exercise",
            ("Hard exercise", "No hard exercise"),
            lambda check_in: check_in.hard_exercise,
        ),
    )


def checked_in_days(
    user: User, start: date, end: date, rows: list[dict]
) -> list[tuple[CheckIn, int]]:
    """Each check-in from `start` to `end` with the twitches logged that day (0 for none)."""
    twitches = {row["day"]: row["twitches"] for row in rows}
    check_ins = CheckIn.objects.for_user(user).filter(day__range=(start, end)).order_by("day")
    return [(check_in, twitches.get(check_in.day, 0)) for check_in in check_ins]


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
        triggers=trigger_comparisons(checked_in_days(user, start, end, days)),
    )


def recent_patterns(user: User) -> Patterns:
    today = person_today(user)
    return journal_patterns(user, today - timedelta(days=WINDOW_DAYS - 1), today)
