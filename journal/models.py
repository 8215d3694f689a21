from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import User
from journal.timezones import day_start
from triage.engine import Assessment


class Region(models.TextChoices):
    EYELID = "eyelid", "Eyelid"
    FACE = "face", "Other part of the face"
    NECK = "neck", "Neck"
    SHOULDER = "shoulder", "Shoulder"
    UPPER_ARM = "upper_arm", "Upper arm"
    FOREARM = "forearm", "Forearm"
    HAND = "hand", "Hand or thumb"
    CHEST = "chest", "Chest or belly"
    BACK = "back", "Back"
    BUTTOCK = "buttock", "Buttock or hip"
    THIGH = "thigh", "Thigh"
    CALF = "calf", "Calf"
    FOOT = "foot", "Foot or toes"
    TONGUE = "tongue", "Tongue or mouth"


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BOTH = "both", "Both sides"
    MIDDLE = "middle", "Middle"


class Duration(models.TextChoices):
    SECONDS = "seconds", "A few seconds"
    MINUTES = "minutes", "Minutes"
    HOURS = "hours", "Hours"
    ALL_DAY = "all_day", "On and off all day"


class Trigger(models.TextChoices):
    CAFFEINE = "caffeine", "Days with 3 or more cups of caffeine"
    SHORT_SLEEP = "short_sleep", "Days after under 7 hours of sleep"
    STRESS = "stress", "Days with stress 4 or more"
    EXERCISE = "exercise", "Days with hard exercise"
    WEAKNESS_NUMBNESS = "weakness_numbness", "With weakness or numbness"


# The day factors' triggers match check-ins: the timeline shows the entries of those days.
CHECK_IN_TRIGGERS = {
    Trigger.CAFFEINE: Q(caffeine_cups__gte=3),
    Trigger.SHORT_SLEEP: Q(sleep_hours__lt=7),
    Trigger.STRESS: Q(stress__gte=4),
    Trigger.EXERCISE: Q(hard_exercise=True),
}
ENTRY_TRIGGERS = {Trigger.WEAKNESS_NUMBNESS: Q(weakness=True) | Q(numbness=True)}


class EntryQuerySet(models.QuerySet["Entry"]):
    def for_user(self, user: "User") -> "EntryQuerySet":
        return self.filter(user=user)

    def usual_place(self) -> dict[str, str]:
        """The region and side of the latest entry, or the left calf for a first one."""
        latest = self.order_by("-occurred_at", "-pk").values_list("region", "side").first()
        region, side = latest or (Region.CALF, Side.LEFT)
        return {"region": region, "side": side}

    def on_days(self, start: date, end: date, tz: ZoneInfo) -> "EntryQuerySet":
        """Entries from the start of `start` to the end of `end`, local days in `tz`."""
        return self.filtered(
            since=day_start(start, tz), before=day_start(end + timedelta(days=1), tz)
        )

    def filtered(
        self,
        *,
        region: str = "",
        trigger: str = "",
        since: datetime | None = None,
        before: datetime | None = None,
        tz: ZoneInfo | None = None,
    ) -> "EntryQuerySet":
        """Entries in `region`, matching `trigger`, from `since` up to (not including) `before`.

        A day factor's trigger matches the entries on the local days (in `tz`) whose
        check-in has it.
        """
        entries = self
        if region:
            entries = entries.filter(region=region)
        if trigger in ENTRY_TRIGGERS:
            entries = entries.filter(ENTRY_TRIGGERS[Trigger(trigger)])
        elif trigger:
            days = CheckIn.objects.filter(
                CHECK_IN_TRIGGERS[Trigger(trigger)], user=OuterRef("user"), day=OuterRef("day")
            )
            entries = entries.alias(day=TruncDate("occurred_at", tzinfo=tz)).filter(Exists(days))
        if since is not None:
            entries = entries.filter(occurred_at__gte=since)
        if before is not None:
            entries = entries.filter(occurred_at__lt=before)
        return entries


# The times an entry, from the form or a journal file, may have: from 2000 up to now,
# allowing for a device clock a little ahead.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
CLOCK_SKEW = timedelta(minutes=5)

# What a person records about one twitch: the entry form and the journal file hold these.
ENTRY_FIELDS = (
    "occurred_at", "region", "side", "duration", "intensity", "weakness", "numbness", "cramp",
    "muscle_thinning", "notes",
)  # fmt: skip


class Entry(models.Model):
    """One twitch a person noticed; what the day was like is its `CheckIn`."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="entries")
    occurred_at = models.DateTimeField("when")
    region = models.CharField(max_length=16, choices=Region)
    side = models.CharField(max_length=8, choices=Side)
    duration = models.CharField("how long", max_length=8, choices=Duration)
    intensity = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)], default=2
    )
    weakness = models.BooleanField("weakness in that area", default=False)
    numbness = models.BooleanField("numbness", default=False)
    cramp = models.BooleanField(default=False)
    muscle_thinning = models.BooleanField("visible muscle thinning", default=False)
    notes = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name_plural = "entries"
        indexes = [
            models.Index(fields=["user", "-occurred_at"], name="entry_user_time"),
            models.Index(fields=["user", "region"], name="entry_user_region"),
        ]

    def __str__(self) -> str:
        return f"{self.get_region_display()} twitch"


class CheckInQuerySet(models.QuerySet["CheckIn"]):
    def for_user(self, user: "User") -> "CheckInQuerySet":
        return self.filter(user=user)

    def for_day(self, user: "User", day: date) -> "CheckIn":
        """The person's check-in for `day`, or a new, unsaved one."""
        return self.for_user(user).filter(day=day).first() or CheckIn(user=user, day=day)


# What a person records about one day: the check-in form and the journal file hold these.
CHECK_IN_FIELDS = (
    "day", "bother", "caffeine_cups", "sleep_hours", "stress", "hard_exercise",
    "water_litres", "new_medicine",
)  # fmt: skip


class CheckIn(models.Model):
    """How one of the person's local days went: the factors that may set off twitching,
    and how much the twitching bothered them. One a day, editable."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="check_ins")
    day = models.DateField()
    bother = models.PositiveSmallIntegerField(
        "how much the twitching bothered you (0 not at all to 10 very much)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(10)],
    )
    caffeine_cups = models.PositiveSmallIntegerField(
        "cups of caffeine that day",
        null=True,
        blank=True,
        validators=[MaxValueValidator(30)],
    )
    sleep_hours = models.DecimalField(
        "hours slept the night before",
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(24)],
    )
    stress = models.PositiveSmallIntegerField(
        "stress (0 none to 5 very high)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(5)],
    )
    hard_exercise = models.BooleanField("hard exercise that day", null=True, blank=True)
    water_litres = models.DecimalField(
        "litres of water drunk that day",
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(15)],
    )
    new_medicine = models.BooleanField("started a new medicine", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CheckInQuerySet.as_manager()

    class Meta:
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="checkin_one_a_day")]

    def __str__(self) -> str:
        return f"Check-in for {self.day:%d %B %Y}"


class SavedCheckQuerySet(models.QuerySet["SavedCheck"]):
    def for_user(self, user: "User") -> "SavedCheckQuerySet":
        return self.filter(user=user)

    def save_result(
        self, user: "User", answers: dict[str, Any], assessment: Assessment
    ) -> "SavedCheck":
        """Keep a self-check result: the answers, and the level the rules gave them."""
        return self.create(
            user=user,
            answers=dict(answers),
            level=assessment.level.id,
            ruleset_version=assessment.ruleset_version,
        )


class SavedCheck(models.Model):
    """A self-check result the person chose to keep in their journal."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="saved_checks")
    # A default, not auto_now_add: an imported result keeps the time it was made.
    created_at = models.DateTimeField(default=timezone.now)
    answers = models.JSONField()
    level = models.CharField(max_length=32)
    ruleset_version = models.CharField(max_length=32)

    objects = SavedCheckQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="savedcheck_user_time")]

    def __str__(self) -> str:
        return f"Self-check result: {self.level}"


class PlanQuerySet(models.QuerySet["Plan"]):
    def for_user(self, user: "User") -> "PlanQuerySet":
        return self.filter(user=user)

    def current(self, today: date) -> "Plan | None":
        """The newest plan begun by `today`, else one still to begin."""
        return self.filter(started_on__lte=today).first() or self.last()


class Plan(models.Model):
    """A person's 28-day self-care plan; the newest one is the current one."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="plans")
    started_on = models.DateField()
    # Set when the person ends the plan before its 28 days are up.
    ended_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-pk"]
        indexes = [models.Index(fields=["user", "-started_on"], name="plan_user_start")]

    def __str__(self) -> str:
        return f"Self-care plan from {self.started_on:%d %B %Y}"

    def finish(self, today: date) -> None:
        """End the plan early, on `today`; its days so far stay as they are."""
        self.ended_on = max(self.started_on, today)
        self.save(update_fields=["ended_on"])

    @transaction.atomic
    def set_steps(self, day: date, step_ids: list[str]) -> None:
        """Make the steps done on `day` exactly `step_ids`."""
        self.checks.filter(day=day).exclude(step_id__in=step_ids).delete()
        PlanCheck.objects.bulk_create(
            [PlanCheck(plan=self, day=day, step_id=step_id) for step_id in step_ids],
            ignore_conflicts=True,
        )


class PlanCheckQuerySet(models.QuerySet["PlanCheck"]):
    def for_user(self, user: "User") -> "PlanCheckQuerySet":
        """A check belongs to whoever owns its plan."""
        return self.filter(plan__user=user)


class PlanCheck(models.Model):
    """One self-care step done on one day of a plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="checks")
    day = models.DateField()
    step_id = models.CharField(max_length=32)

    objects = PlanCheckQuerySet.as_manager()

    class Meta:
        ordering = ["day", "step_id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "day", "step_id"], name="plancheck_unique_step")
        ]

    def __str__(self) -> str:
        return f"{self.step_id} on {self.day}"


# The background task that saves an import (journal/tasks.py), named here: the models
# cannot import the tasks, which import them.
IMPORT_TASK = "journal.tasks.save_journal_import"


class JournalImportQuerySet(models.QuerySet["JournalImport"]):
    def for_user(self, user: "User") -> "JournalImportQuerySet":
        return self.filter(user=user)

    def unfinished(self) -> "JournalImportQuerySet":
        """Imports still waiting or saving, and not stalled."""
        return self.filter(pk__in=[u.pk for u in self._not_finished_yet() if not u.stalled])

    def stalled(self) -> "JournalImportQuerySet":
        """Imports that will not finish (see `JournalImport.stalled`)."""
        return self.filter(pk__in=[u.pk for u in self._not_finished_yet() if u.stalled])

    def _not_finished_yet(self) -> "JournalImportQuerySet":
        # Never the file itself, which can be 64 MB.
        return self._not_finished().only("pk", "status", "updated_at")

    def _not_finished(self) -> "JournalImportQuerySet":
        return self.filter(status__in=[JournalImport.Status.WAITING, JournalImport.Status.SAVING])


class JournalImport(models.Model):
    """A journal file a person uploaded, saved by the background worker.

    The file is kept only until its import ends, then emptied. The whole import is saved
    in one transaction, so a failed or stalled import has saved nothing.
    """

    # An import not finished this long after its last change was cut off (no worker took
    # it); a 100,000-entry import takes well under a minute. One whose worker died is
    # known sooner (`stalled`).
    STALLED_AFTER = timedelta(minutes=15)

    class Status(models.TextChoices):
        WAITING = "waiting", "waiting to start"
        SAVING = "saving", "saving"
        DONE = "done", "imported"
        FAILED = "failed", "not imported"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="imports")
    data = models.JSONField(null=True)
    status = models.CharField(max_length=8, choices=Status, default=Status.WAITING)
    # Counted when the file was checked on upload; `added` and `skipped` again when saved.
    to_add = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = JournalImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="import_user_time")]

    def __str__(self) -> str:
        return f"Journal import ({self.get_status_display()})"

    @property
    def progress_key(self) -> str:
        """The shared-cache key holding how many entries the worker has saved so far: the
        save is one transaction, so the count is not visible in the database until the end."""
        return f"journal-import-progress:{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def stalled(self) -> bool:
        """Whether this import will not finish: the worker saving it stopped part-way (known
        within a minute, at once on the same machine: reliability/workers.py), or it has
        not changed for STALLED_AFTER (no worker took it)."""
        if self.finished:
            return False
        if self.updated_at < timezone.now() - self.STALLED_AFTER:
            return True
        from reliability.workers import stopped_before_finishing

        return stopped_before_finishing(IMPORT_TASK, import_id=self.pk)
