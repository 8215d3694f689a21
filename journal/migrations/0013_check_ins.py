# The day factors (caffeine, sleep, stress, hard exercise, water) move from twitch entries
# to a daily check-in: one per person and local day (in their time zone) that had entries
# with any factor, merged as the journal file import merges them: the most caffeine, the
# least sleep, the most stress, hard exercise if any entry said so, the most water. How
# much the twitching bothered them is left empty. Going back copies each check-in onto
# that day's entries.

from collections import defaultdict
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Q

FACTORS = ("caffeine_cups", "sleep_hours", "stress", "hard_exercise", "water_litres")
MERGE = {
    "caffeine_cups": max,
    "sleep_hours": min,
    "stress": max,
    "hard_exercise": any,
    "water_litres": max,
}


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return ZoneInfo(settings.TIME_ZONE)


def entries_to_check_ins(apps, schema_editor):
    db = schema_editor.connection.alias
    Entry = apps.get_model("journal", "Entry")
    CheckIn = apps.get_model("journal", "CheckIn")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    any_factor = Q()
    for name in FACTORS:
        any_factor |= Q(**{f"{name}__isnull": False})
    with_factors = Entry.objects.using(db).filter(any_factor)
    for user_id in with_factors.values_list("user_id", flat=True).distinct().order_by():
        tz = zone(User.objects.using(db).get(pk=user_id).time_zone)
        days = defaultdict(lambda: defaultdict(list))
        rows = with_factors.filter(user_id=user_id).values_list("occurred_at", *FACTORS)
        for occurred_at, *values in rows.iterator():
            day = days[occurred_at.astimezone(tz).date()]
            for name, value in zip(FACTORS, values, strict=True):
                if value is not None:
                    day[name].append(value)
        CheckIn.objects.using(db).bulk_create(
            CheckIn(
                user_id=user_id,
                day=day,
                **{name: MERGE[name](values) for name, values in factors.items()},
            )
            for day, factors in days.items()
        )


def check_ins_to_entries(apps, schema_editor):
    db = schema_editor.connection.alias
    Entry = apps.get_model("journal", "Entry")
    CheckIn = apps.get_model("journal", "CheckIn")
    for check_in in CheckIn.objects.using(db).select_related("user").iterator():
        tz = zone(check_in.user.time_zone)
        start = datetime.combine(check_in.day, time.min, tzinfo=tz)
        Entry.objects.using(db).filter(
            user_id=check_in.user_id,
            occurred_at__gte=start,
            occurred_at__lt=datetime.combine(check_in.day + timedelta(days=1), time.min, tzinfo=tz),
        ).update(**{name: getattr(check_in, name) for name in FACTORS})


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0012_saved_check_created_at_default"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CheckIn",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField()),
                (
                    "bother",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        null=True,
                        validators=[django.core.validators.MaxValueValidator(10)],
                        verbose_name="how much the twitching bothered you (0 not at all to 10 very much)",
                    ),
                ),
                (
                    "caffeine_cups",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        null=True,
                        validators=[django.core.validators.MaxValueValidator(30)],
                        verbose_name="cups of caffeine that day",
                    ),
                ),
                (
                    "sleep_hours",
                    models.DecimalField(
                        blank=True,
                        decimal_places=1,
                        max_digits=3,
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(24),
                        ],
                        verbose_name="hours slept the night before",
                    ),
                ),
                (
                    "stress",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        null=True,
                        validators=[django.core.validators.MaxValueValidator(5)],
                        verbose_name="stress (0 none to 5 very high)",
                    ),
                ),
                (
                    "hard_exercise",
                    models.BooleanField(
                        blank=True, null=True, verbose_name="hard exercise that day"
                    ),
                ),
                (
                    "water_litres",
                    models.DecimalField(
                        blank=True,
                        decimal_places=1,
                        max_digits=3,
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(15),
                        ],
                        verbose_name="litres of water drunk that day",
                    ),
                ),
                (
                    "new_medicine",
                    models.BooleanField(
                        blank=True, null=True, verbose_name="started a new medicine"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="check_ins",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-day"],
                "constraints": [
                    models.UniqueConstraint(fields=("user", "day"), name="checkin_one_a_day")
                ],
            },
        ),
        migrations.RunPython(entries_to_check_ins, check_ins_to_entries),
        migrations.RemoveField(
            model_name="entry",
            name="caffeine_cups",
        ),
        migrations.RemoveField(
            model_name="entry",
            name="hard_exercise",
        ),
        migrations.RemoveField(
            model_name="entry",
            name="sleep_hours",
        ),
        migrations.RemoveField(
            model_name="entry",
            name="stress",
        ),
        migrations.RemoveField(
            model_name="entry",
            name="water_litres",
        ),
    ]
