"""A person with a journal of any size, for the benchmarks (Django must be set up first)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from journal.models import Duration, Entry, Region, Side, User


def make_person(email: str, entries: int) -> User:
    user = User.objects.create_user(email, "bench-password-123")
    now = timezone.now()
    regions, sides, durations = list(Region), list(Side), list(Duration)
    Entry.objects.bulk_create(
        (
            Entry(
                user=user,
                occurred_at=now - timedelta(minutes=37 * i),
                region=regions[i % len(regions)],
                side=sides[i % len(sides)],
                duration=durations[i % len(durations)],
                intensity=1 + i % 5,
                caffeine_cups=i % 6,
                sleep_hours=Decimal(5 + i % 5),
                stress=i % 6,
                hard_exercise=i % 3 == 0,
                water_litres=Decimal("1.5"),
                notes="After a long day." if i % 7 == 0 else "",
            )
            for i in range(entries)
        ),
        batch_size=2000,
    )
    return user
