"""Known journals for the insights tests: people, entries and check-ins made in bulk."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from accounts.models import User
from journal.models import CheckIn, Duration, Entry, Region, Side
from journal.timezones import person_today
from tests.accounts.factories import UserFactory

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def make_person(email: str = "ana@example.com", time_zone: str = "Europe/London") -> User:
    return UserFactory(email=email, time_zone=time_zone)


def entry(user: User, occurred_at: datetime, region: str = Region.CALF, **fields) -> Entry:
    fields.setdefault("side", Side.LEFT)
    fields.setdefault("duration", Duration.SECONDS)
    created = Entry.objects.create(user=user, occurred_at=occurred_at, region=region, **fields)
    return created


def add_entries(user: User, count: int, end: datetime | None = None) -> list[Entry]:
    """`count` varied entries, one every 37 minutes back from `end`."""
    end = end or datetime.now(UTC)
    regions, sides, durations = list(Region), list(Side), list(Duration)
    created = Entry.objects.bulk_create(
        Entry(
            user=user,
            occurred_at=end - timedelta(minutes=37 * i),
            region=regions[i % len(regions)],
            side=sides[i % len(sides)],
            duration=durations[i % len(durations)],
            intensity=1 + i % 5,
            weakness=i % 500 == 7,
            notes="After a long day." if i % 7 == 0 else "",
        )
        for i in range(count)
    )
    return created


def add_check_ins(user: User, count: int, end: date | None = None) -> list[CheckIn]:
    """`count` varied daily check-ins, one a day back from `end` (the person's today)."""
    end = end or person_today(user)
    return CheckIn.objects.bulk_create(
        CheckIn(
            user=user,
            day=end - timedelta(days=i),
            bother=i % 11,
            caffeine_cups=i % 6,
            sleep_hours=Decimal(5 + i % 5),
            stress=i % 6,
            hard_exercise=i % 3 == 0,
            water_litres=Decimal("1.5"),
            new_medicine=False,
        )
        for i in range(count)
    )
