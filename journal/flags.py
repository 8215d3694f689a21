"""Red flags from the journal: only what a person recorded, or what the dates show beyond doubt.

The journal answers a self-check question only when the entries settle it: a symptom the
person ticked, or a timing fact the dates prove (the same area on most days for more than
2 weeks, twitches clearly getting more frequent). Everything else stays unanswered, never
read as "no", so a journal alone can never give the all-clear.

Only the current episode counts: a gap of more than `episode_gap_days` with no twitches
ends an episode, and an episode with no twitch in that many days up to today is over.
Twitches in different parts of the body are a pattern to show, never an answer: moving
twitches are common with harmless twitching, and only the person can say whether their
twitching has spread.

The pages read the entries from the database and `assess --journal` reads them from an
exported file; both hand them to `flags_from_twitches`.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from itertools import chain

from accounts.models import User
from journal.models import Entry, Region
from journal.timezones import day_start, person_today, person_tz
from triage.engine import Assessment, Finding, Question, Ruleset, assess, get_ruleset
from triage.engine.model import JournalRules

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
EYELID_AND_FACE = frozenset({Region.EYELID, Region.FACE})
# The fields of an entry the red flags read, in `Twitch` order.
TWITCH_FIELDS = ("occurred_at", "region", "weakness", "numbness", "muscle_thinning")


@dataclass(frozen=True)
class Twitch:
    occurred_at: datetime
    region: str
    weakness: bool = False
    numbness: bool = False
    thinning: bool = False


@dataclass(frozen=True)
class Noted:
    """A symptom the person ticked: on how many entries, and the latest day."""

    count: int = 0
    latest: date | None = None

    def sentence(self, what: str) -> str:
        entries = "entry" if self.count == 1 else "entries"
        return f"You noted {what} on {self.count} {entries} (latest {_day(self.latest)})."


@dataclass(frozen=True)
class Lasting:
    """Twitches in one area on most days, from `first` to `last`."""

    region: str
    days: int
    first: date
    last: date

    @property
    def span_days(self) -> int:
        return (self.last - self.first).days + 1

    def sentence(self) -> str:
        return (
            f"You noted twitches in the same area ({_region_label(self.region)}) on "
            f"{self.days} of the {self.span_days} days from {_day(self.first)} "
            f"to {_day(self.last)}."
        )


@dataclass(frozen=True)
class Episode:
    """The current episode: twitches with no gap of more than the episode gap between them."""

    start: date
    end: date
    total: int
    regions: tuple[tuple[str, int], ...]
    weakness: Noted
    numbness: Noted
    thinning: Noted
    lasting: Lasting | None
    last_7_days: int
    previous_7_days: int
    covers_two_weeks: bool

    @property
    def region_ids(self) -> frozenset[str]:
        return frozenset(region for region, _ in self.regions)

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple(
            key for key, (_, regions) in REGION_GROUPS.items() if self.region_ids & regions
        )

    @property
    def ticked(self) -> bool:
        return bool(self.weakness.count or self.numbness.count or self.thinning.count)


def _day(day: date | None) -> str:
    return f"{day:%-d %B}" if day else ""


def _region_label(region: str) -> str:
    return Region(region).label.lower()


def _noted(days: list[date]) -> Noted:
    return Noted(len(days), max(days)) if days else Noted()


def _lasting(days_by_region: dict[str, set[date]], lasting_days: int) -> Lasting | None:
    """The area with twitches on more than half the days of a span of more than `lasting_days`."""
    found = []
    for region, days in days_by_region.items():
        first, last = min(days), max(days)
        span = (last - first).days + 1
        if (last - first).days > lasting_days and len(days) * 2 > span:
            found.append(Lasting(region, len(days), first, last))
    return max(found, key=lambda lasting: (lasting.days, lasting.last), default=None)


def current_episode(
    twitches: Iterable[Twitch], until: datetime, tz: tzinfo, ruleset: Ruleset | None = None
) -> Episode | None:
    """The current episode from `twitches` (newest first, all before `until`).

    None when there are no twitches, or when the latest one is more than the episode gap
    before the day `until` ends: that episode is over. Reads no further than one twitch
    past the start of the episode.
    """
    rules = (ruleset or get_ruleset()).journal
    today = (until - timedelta(microseconds=1)).astimezone(tz).date()
    episode: list[tuple[Twitch, date]] = []
    for twitch in twitches:
        day = twitch.occurred_at.astimezone(tz).date()
        previous = episode[-1][1] if episode else today
        if (previous - day).days > rules.episode_gap_days:
            break
        episode.append((twitch, day))
    return _episode(episode, until, rules) if episode else None


def _episode(episode: list[tuple[Twitch, date]], until: datetime, rules: JournalRules) -> Episode:
    days_by_region: dict[str, set[date]] = defaultdict(set)
    counts: Counter = Counter()
    weakness, numbness, thinning = [], [], []
    week_ago, fortnight_ago = until - timedelta(days=7), until - timedelta(days=14)
    last_7 = previous_7 = 0
    for twitch, day in episode:
        days_by_region[twitch.region].add(day)
        counts[twitch.region] += 1
        if twitch.weakness:
            weakness.append(day)
        if twitch.numbness:
            numbness.append(day)
        if twitch.thinning:
            thinning.append(day)
        if twitch.occurred_at >= week_ago:
            last_7 += 1
        elif twitch.occurred_at >= fortnight_ago:
            previous_7 += 1
    return Episode(
        start=episode[-1][1],
        end=episode[0][1],
        total=len(episode),
        regions=tuple(counts.most_common()),
        weakness=_noted(weakness),
        numbness=_noted(numbness),
        thinning=_noted(thinning),
        lasting=_lasting(days_by_region, rules.lasting_days),
        last_7_days=last_7,
        previous_7_days=previous_7,
        covers_two_weeks=episode[-1][0].occurred_at <= fortnight_ago,
    )


def is_worsening(episode: Episode, ruleset: Ruleset | None = None) -> bool:
    """Clearly more twitches in the last 7 days than the 7 before, within one episode."""
    rules = (ruleset or get_ruleset()).journal
    return (
        episode.covers_two_weeks
        and episode.last_7_days >= rules.worsening_min_twitches
        and episode.last_7_days >= rules.worsening_ratio * episode.previous_7_days
    )


def eyelid_path(episode: Episode) -> bool:
    """The self-check's eyelid branch: eyelid twitches, perhaps with others in the face, and
    no weakness, numbness or thinning noted (those questions are asked on the other branch)."""
    return (
        Region.EYELID in episode.region_ids
        and episode.region_ids <= EYELID_AND_FACE
        and not episode.ticked
    )


def journal_answers(episode: Episode | None, ruleset: Ruleset | None = None) -> dict[str, str]:
    """The self-check answers the episode settles; everything else stays unanswered."""
    if episode is None:
        return {}
    lasting = episode.lasting
    if eyelid_path(episode):
        answers = {"area": "eyelid"}
        if lasting is not None and lasting.region == Region.EYELID:
            answers["eyelid_duration"] = "over_2_weeks"
        return answers
    answers = {"area": "elsewhere"}
    if lasting is not None:
        answers["duration"] = "over_2_weeks"
    if episode.weakness.count:
        answers["weakness"] = "yes"
    if episode.numbness.count:
        answers["numbness"] = "numbness"
    if episode.thinning.count:
        answers["wasting"] = "yes"
    if is_worsening(episode, ruleset):
        answers["worsening"] = "yes"
    return answers


def _facts(episode: Episode, ruleset: Ruleset) -> dict[str, str]:
    """What the entries show, by the rule each fact triggers."""
    rules = ruleset.journal
    facts = {
        "weakness": episode.weakness.sentence("weakness"),
        "numbness": episode.numbness.sentence("numbness"),
        "wasting": episode.thinning.sentence("a muscle looking thinner"),
        "worsening": (
            f"You noted {episode.last_7_days} twitches in the last 7 days, against "
            f"{episode.previous_7_days} in the 7 days before. We count at least "
            f"{rules.worsening_min_twitches} in a week, and at least "
            f"{rules.worsening_ratio:g} times the week before, as clearly more often."
        ),
    }
    if episode.lasting is not None:
        facts["lasting_weeks"] = facts["eyelid_lasting"] = episode.lasting.sentence()
    return facts


def _journal_finding(finding: Finding, facts: dict[str, str], ruleset: Ruleset) -> Finding:
    """The finding in the journal's words: what the entries show, then what it means."""
    if finding.rule_id in ("checklist", "checklist_routine"):
        count = len({qid for qid, _ in finding.triggered_by})
        checklist = ruleset.checklist_rule
        reason = (
            checklist.journal_reason
            if finding.rule_id == "checklist"
            else checklist.otherwise_journal_reason
        ).format(count=count)
    elif finding.rule_id == "not_enough_answers":
        reason = ruleset.no_findings_incomplete.journal_reason
    else:
        rule = next(rule for rule in ruleset.rules if rule.id == finding.rule_id)
        reason = f"{facts[rule.id]} {rule.journal_reason}"
    return replace(finding, reason=reason)


def journal_assessment(episode: Episode, ruleset: Ruleset | None = None) -> Assessment:
    """The engine's result for the episode, each reason worded as what the journal shows."""
    ruleset = ruleset or get_ruleset()
    assessment = assess(journal_answers(episode, ruleset), ruleset)
    facts = _facts(episode, ruleset)
    findings = tuple(_journal_finding(f, facts, ruleset) for f in assessment.findings)
    return replace(assessment, findings=findings)


def patterns_to_show(episode: Episode, ruleset: Ruleset | None = None) -> tuple[str, ...]:
    """Twitches in different parts of the body: what the entries show, never a red flag."""
    ruleset = ruleset or get_ruleset()
    since = f"Since {_day(episode.start)}"
    if eyelid_path(episode) and Region.FACE in episode.region_ids:
        return (
            f"{since} your journal has twitches in your eyelid and in other parts of your "
            f"face. Only you can say whether the twitching has spread from the eyelid: "
            f"the self-check asks you.",
        )
    if len(episode.groups) < 2:
        return ()
    parts = []
    for key in episode.groups:
        name, regions = REGION_GROUPS[key]
        here = ", ".join(
            f"{_region_label(region)} {count}"
            for region, count in episode.regions
            if region in regions
        )
        parts.append(f"{name} ({here})")
    return (
        f"{since} your journal has twitches in {len(parts)} parts of the body: "
        f"{'; '.join(parts)}. {ruleset.journal.several_areas}",
    )


@dataclass(frozen=True)
class JournalFlags:
    episode: Episode | None
    last_twitch: date | None
    answers: dict[str, str]
    assessment: Assessment | None
    patterns: tuple[str, ...]
    unknown: tuple[Question, ...]

    @property
    def checklist_total(self) -> int:
        return len(get_ruleset().checklist)

    @property
    def rules(self) -> JournalRules:
        return get_ruleset().journal

    @property
    def episode_over(self) -> bool:
        return self.episode is None and self.last_twitch is not None


def flags_from_twitches(
    twitches: Iterable[Twitch], until: datetime, tz: tzinfo, ruleset: Ruleset | None = None
) -> JournalFlags:
    """The journal's red flags from its twitches, newest first, all before `until`."""
    ruleset = ruleset or get_ruleset()
    twitches = iter(twitches)
    first = next(twitches, None)
    if first is None:
        return JournalFlags(None, None, {}, None, (), ())
    latest = first.occurred_at.astimezone(tz).date()
    episode = current_episode(chain([first], twitches), until, tz, ruleset)
    if episode is None:
        return JournalFlags(None, latest, {}, None, (), ())
    assessment = journal_assessment(episode, ruleset)
    unknown = tuple(
        ruleset.question(qid)
        for qid in assessment.unanswered
        if ruleset.question(qid).red_flag and qid != "emergency_signs"
    )
    return JournalFlags(
        episode,
        latest,
        journal_answers(episode, ruleset),
        assessment,
        patterns_to_show(episode, ruleset),
        unknown,
    )


def journal_flags(user: User, until: datetime | None = None) -> JournalFlags:
    """The person's red flags from their entries before `until`: by default, the end of
    today in their time zone, the day `assess --journal` uses for a file."""
    tz = person_tz(user)
    until = until or day_start(person_today(user) + timedelta(days=1), tz)
    rows = (
        Entry.objects.for_user(user)
        .filter(occurred_at__lt=until)
        .order_by("-occurred_at", "-pk")
        .values_list(*TWITCH_FIELDS)
    )
    twitches = (Twitch(*row) for row in rows.iterator(chunk_size=500))
    return flags_from_twitches(twitches, until, tz)
