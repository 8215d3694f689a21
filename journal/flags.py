"""Red flags from the journal: facts the entries show, put to the same rules engine.

The journal only ever answers a question when the entries show it. Something the
entries do not show (no weakness noted, say) is left unanswered, never read as "no",
so the engine can never give the all-clear from a journal alone.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from journal.models import Entry, Region, User
from journal.patterns import person_tz
from triage.engine import Assessment, Question, assess, get_ruleset

REGION_GROUPS: dict[str, tuple[str, frozenset[str]]] = {
    "face": ("the face", frozenset({Region.EYELID, Region.FACE, Region.TONGUE})),
    "arms": (
        "the neck, shoulders and arms",
        frozenset({Region.NECK, Region.SHOULDER, Region.UPPER_ARM, Region.FOREARM, Region.HAND}),
    ),
    "trunk": ("the chest, belly and back", frozenset({Region.CHEST, Region.BACK})),
    "legs": (
        "the hips, legs and feet",
        frozenset({Region.BUTTOCK, Region.THIGH, Region.CALF, Region.FOOT}),
    ),
}
# The self-check calls muscle groups "not next to each other" several areas: two is enough.
SPREAD_MIN_GROUPS = 2
LASTING_DAYS = 14
WORSENING_MIN_TWITCHES = 5
WORSENING_RATIO = 1.5


@dataclass(frozen=True)
class EntriesSummary:
    total: int = 0
    first_at: datetime | None = None
    last_at: datetime | None = None
    eyelid: int = 0
    weakness: int = 0
    numbness: int = 0
    thinning: int = 0
    last_7_days: int = 0
    previous_7_days: int = 0
    journal_covers_two_weeks: bool = False
    groups: tuple[str, ...] = ()

    @property
    def span_days(self) -> int:
        if self.first_at is None or self.last_at is None:
            return 0
        return (self.last_at - self.first_at).days

    @property
    def eyelid_only(self) -> bool:
        return self.total > 0 and self.eyelid == self.total


def summarise_entries(user: User, until: datetime | None = None) -> EntriesSummary:
    """The facts the red flags need, from every entry before `until`: one SQL query."""
    until = until or timezone.now()
    week_ago, fortnight_ago = until - timedelta(days=7), until - timedelta(days=14)
    group_counts = {
        f"group_{key}": Count("id", filter=Q(region__in=regions))
        for key, (_, regions) in REGION_GROUPS.items()
    }
    row = Entry.objects.filter(user=user, occurred_at__lt=until).aggregate(
        total=Count("id"),
        first_at=Min("occurred_at"),
        last_at=Max("occurred_at"),
        eyelid=Count("id", filter=Q(region=Region.EYELID)),
        weakness=Count("id", filter=Q(weakness=True)),
        numbness=Count("id", filter=Q(numbness=True)),
        thinning=Count("id", filter=Q(muscle_thinning=True)),
        last_7_days=Count("id", filter=Q(occurred_at__gte=week_ago)),
        previous_7_days=Count(
            "id", filter=Q(occurred_at__gte=fortnight_ago, occurred_at__lt=week_ago)
        ),
        **group_counts,
    )
    groups = tuple(key for key in REGION_GROUPS if row.pop(f"group_{key}"))
    first_at = row["first_at"]
    return EntriesSummary(
        **row,
        groups=groups,
        journal_covers_two_weeks=first_at is not None and first_at <= fortnight_ago,
    )


def is_worsening(summary: EntriesSummary) -> bool:
    """More twitches in the last 7 days than the 7 before, when the journal covers both weeks."""
    return (
        summary.journal_covers_two_weeks
        and summary.last_7_days >= WORSENING_MIN_TWITCHES
        and summary.last_7_days >= WORSENING_RATIO * summary.previous_7_days
    )


def journal_answers(summary: EntriesSummary) -> dict[str, str]:
    """The self-check answers the entries show for certain; everything else stays unanswered."""
    if not summary.total:
        return {}
    lasting = summary.span_days > LASTING_DAYS
    if summary.eyelid_only:
        return (
            {"area": "eyelid", "eyelid_duration": "over_2_weeks"} if lasting else {"area": "eyelid"}
        )
    answers = {"area": "elsewhere"}
    if lasting:
        answers["duration"] = "over_2_weeks"
    if len(summary.groups) >= SPREAD_MIN_GROUPS:
        answers["spread"] = "several_areas"
    if summary.weakness:
        answers["weakness"] = "yes"
    if summary.numbness:
        answers["numbness"] = "yes"
    if summary.thinning:
        answers["wasting"] = "yes"
    if is_worsening(summary):
        answers["worsening"] = "yes"
    return answers


def _entries_note(count: int) -> str:
    return f"{count} entry notes" if count == 1 else f"{count} entries note"


def journal_evidence(
    summary: EntriesSummary, answers: dict[str, str], tz: tzinfo = UTC
) -> tuple[str, ...]:
    """What the journal shows, in plain words, for each answer it gives."""
    lines = []
    if answers.get("area") == "eyelid":
        lines.append("Every twitch in your journal is in an eyelid.")
    if "duration" in answers or "eyelid_duration" in answers:
        lines.append(
            f"Your journal has twitches over {summary.span_days} days, "
            f"from {summary.first_at.astimezone(tz):%-d %B} "
            f"to {summary.last_at.astimezone(tz):%-d %B %Y}."
        )
    if "spread" in answers:
        names = [REGION_GROUPS[key][0] for key in summary.groups]
        lines.append(
            f"You noted twitches in {len(names)} parts of the body that are not next to "
            f"each other: {'; '.join(names)}."
        )
    if "weakness" in answers:
        lines.append(f"{_entries_note(summary.weakness)} weakness.")
    if "numbness" in answers:
        lines.append(f"{_entries_note(summary.numbness)} numbness or tingling.")
    if "wasting" in answers:
        lines.append(f"{_entries_note(summary.thinning)} a muscle looking thinner.")
    if "worsening" in answers:
        lines.append(
            f"You noted {summary.last_7_days} twitches in the last 7 days, "
            f"against {summary.previous_7_days} in the 7 days before."
        )
    return tuple(lines)


@dataclass(frozen=True)
class JournalFlags:
    summary: EntriesSummary
    answers: dict[str, str]
    evidence: tuple[str, ...]
    assessment: Assessment | None
    unknown: tuple[Question, ...]

    @property
    def checklist_total(self) -> int:
        return len(get_ruleset().checklist)


def flags_from_summary(summary: EntriesSummary, tz: tzinfo = UTC) -> JournalFlags:
    answers = journal_answers(summary)
    if not summary.total:
        return JournalFlags(summary, answers, (), None, ())
    assessment = assess(answers)
    ruleset = get_ruleset()
    unknown = tuple(
        ruleset.question(qid) for qid in assessment.unanswered if ruleset.question(qid).red_flag
    )
    evidence = journal_evidence(summary, answers, tz)
    return JournalFlags(summary, answers, evidence, assessment, unknown)


def journal_flags(user: User, until: datetime | None = None) -> JournalFlags:
    return flags_from_summary(summarise_entries(user, until), person_tz(user))
