"""Red flags from the journal: only what a person recorded, or what the dates show beyond doubt.

One answer: the verdict starts from the person's latest saved self-check while it is
current (`check_current_days`), adds what the entries show, is never lower than that
check's level, and never asks again what it answered. A weakness, numbness or thinner
muscle ticked in the current episode counts even when it was ticked before a check that
answered "no": nothing with those signs may lose urgency, and the person can edit an
entry ticked by mistake.

The journal answers a self-check question only when the entries settle it: a symptom the
person ticked, a timing fact the dates prove (the same area on most days for more than
2 weeks), or their own ratings rising ("getting worse": strength or daily bother, never how
many twitches they logged, which rises with attention). Everything else stays unanswered,
never read as "no", so a journal alone can never give the all-clear.

Only the current episode counts: a gap of more than `episode_gap_days` with no twitches
ends an episode, and an episode with no twitch in that many days up to today is over.
Twitches in different parts of the body are a pattern to show, never an answer: moving
twitches are common with harmless twitching, and only the person can say whether their
twitching has spread.

The pages read the records from the database and `assess --journal` reads them from an
exported file; both hand them to `flags_from_twitches`.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, tzinfo
from itertools import chain
from statistics import fmean

from accounts.models import User
from journal.models import CheckIn, Entry, Region, SavedCheck
from journal.timezones import day_start, person_today, person_tz
from triage.engine import Assessment, Finding, Question, Ruleset, assess, get_ruleset
from triage.engine.model import JournalRules, Source

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
# What a person ticks on an entry, and the self-check question each answers.
TICKS = ("weakness", "numbness", "thinning")
# The fields of an entry the red flags read, in `Twitch` order.
TWITCH_FIELDS = ("occurred_at", "region", "weakness", "numbness", "muscle_thinning", "intensity")


@dataclass(frozen=True)
class Twitch:
    occurred_at: datetime
    region: str
    weakness: bool = False
    numbness: bool = False
    thinning: bool = False
    strength: int | None = None


@dataclass(frozen=True)
class Check:
    """A saved self-check: when it was saved, its answers, and the level the rules gave."""

    saved_at: datetime
    answers: Mapping[str, object]
    level: str
    ruleset_version: str = ""


@dataclass(frozen=True)
class Noted:
    """A symptom the person ticked: on how many entries, and the latest day."""

    count: int = 0
    latest: date | None = None

    def sentence(self, what: str) -> str:
        entries = "entry" if self.count == 1 else "entries"
        return f"You noted {what} on {self.count} {entries} (latest {_day(self.latest)})."


@dataclass(frozen=True)
class Trend:
    """A daily rating: its mean and rated days over the last `trend_days` days, and over the
    same number of days before."""

    scale: int
    recent_days: int = 0
    recent: float = 0.0
    earlier_days: int = 0
    earlier: float = 0.0

    def rose(self, by: float, min_days: int) -> bool:
        enough = min(self.recent_days, self.earlier_days) >= min_days
        return enough and round(self.recent - self.earlier, 6) >= by

    def sentence(self, what: str, days: int) -> str:
        return (
            f"{what}: an average of {_number(self.recent)} out of {self.scale} on the "
            f"{self.recent_days} days you rated in the last {days} days, against "
            f"{_number(self.earlier)} on {self.earlier_days} days in the {days} days before"
        )


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
    strength: Trend
    bother: Trend

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


def _number(value: float) -> str:
    return f"{round(value, 1):g}"


def _region_label(region: str) -> str:
    return Region(region).label.lower()


def _noted(days: list[date]) -> Noted:
    return Noted(len(days), max(days)) if days else Noted()


def _trend(by_day: Mapping[date, float], today: date, days: int, scale: int) -> Trend:
    recent = [value for day, value in by_day.items() if 0 <= (today - day).days < days]
    earlier = [value for day, value in by_day.items() if days <= (today - day).days < 2 * days]
    return Trend(
        scale,
        len(recent),
        fmean(recent) if recent else 0.0,
        len(earlier),
        fmean(earlier) if earlier else 0.0,
    )


def _lasting(days_by_region: dict[str, set[date]], lasting_days: int) -> Lasting | None:
    """The area with twitches on more than half the days of a span of more than `lasting_days`."""
    found = []
    for region, days in days_by_region.items():
        first, last = min(days), max(days)
        span = (last - first).days + 1
        if (last - first).days > lasting_days and len(days) * 2 > span:
            found.append(Lasting(region, len(days), first, last))
    return max(found, key=lambda lasting: (lasting.days, lasting.last), default=None)


def _today(until: datetime, tz: tzinfo) -> date:
    return (until - timedelta(microseconds=1)).astimezone(tz).date()


def current_episode(
    twitches: Iterable[Twitch],
    until: datetime,
    tz: tzinfo,
    ruleset: Ruleset | None = None,
    *,
    bother: Mapping[date, int] | None = None,
) -> Episode | None:
    """The current episode from `twitches` (newest first, all before `until`), with the
    daily `bother` ratings by day.

    None when there are no twitches, or when the latest one is more than the episode gap
    before the day `until` ends: that episode is over. Reads no further than one twitch
    past the start of the episode.
    """
    rules = (ruleset or get_ruleset()).journal
    today = _today(until, tz)
    episode: list[tuple[Twitch, date]] = []
    for twitch in twitches:
        day = twitch.occurred_at.astimezone(tz).date()
        previous = episode[-1][1] if episode else today
        if (previous - day).days > rules.episode_gap_days:
            break
        episode.append((twitch, day))
    if not episode:
        return None
    noted = {
        tick: _noted([day for twitch, day in episode if getattr(twitch, tick)]) for tick in TICKS
    }
    strength: dict[date, list[int]] = defaultdict(list)
    for twitch, day in episode:
        if twitch.strength is not None:
            strength[day].append(twitch.strength)
    return Episode(
        start=episode[-1][1],
        end=episode[0][1],
        total=len(episode),
        regions=tuple(Counter(twitch.region for twitch, _ in episode).most_common()),
        weakness=noted["weakness"],
        numbness=noted["numbness"],
        thinning=noted["thinning"],
        lasting=_lasting(_days_by_region(episode), rules.lasting_days),
        strength=_trend(
            {day: fmean(values) for day, values in strength.items()}, today, rules.trend_days, 5
        ),
        bother=_trend(bother or {}, today, rules.trend_days, 10),
    )


def _days_by_region(episode: list[tuple[Twitch, date]]) -> dict[str, set[date]]:
    days: dict[str, set[date]] = defaultdict(set)
    for twitch, day in episode:
        days[twitch.region].add(day)
    return days


def worsening(episode: Episode, ruleset: Ruleset | None = None) -> dict[str, Trend]:
    """The person's own ratings that rose clearly: "getting worse", never from counts.

    Each side of the comparison needs `trend_min_rated_days` rated days.
    """
    rules = (ruleset or get_ruleset()).journal
    rises = {
        "strength": (episode.strength, rules.worsening_strength_rise),
        "bother": (episode.bother, rules.worsening_bother_rise),
    }
    return {
        name: trend
        for name, (trend, by) in rises.items()
        if trend.rose(by, rules.trend_min_rated_days)
    }


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
    if worsening(episode, ruleset):
        answers["worsening"] = "yes"
    return answers


def _facts(episode: Episode | None, ruleset: Ruleset) -> dict[str, str]:
    """What the entries show, by the rule each fact triggers."""
    if episode is None:
        return {}
    days = ruleset.journal.trend_days
    rose = worsening(episode, ruleset)
    trends = [
        rose[name].sentence(what, days)
        for name, what in (
            ("strength", "your twitches have got stronger"),
            ("bother", "the twitching has bothered you more"),
        )
        if name in rose
    ]
    facts = {
        "weakness": episode.weakness.sentence("weakness"),
        "numbness": episode.numbness.sentence("numbness"),
        "wasting": episode.thinning.sentence("a muscle looking thinner"),
        "worsening": f"By your own ratings, {'; and '.join(trends)}.",
    }
    if episode.lasting is not None:
        facts["lasting_weeks"] = facts["eyelid_lasting"] = episode.lasting.sentence()
    return facts


def _from_check(day: date, reason: str, also_entries: bool = False) -> str:
    entries = " and your journal entries" if also_entries else ""
    if reason[1:2].islower():
        reason = reason[0].lower() + reason[1:]
    return f"From your self-check on {_day(day)}{entries}: {reason}"


@dataclass(frozen=True)
class _Sources:
    """Where each answer came from: the entries, and the saved self-check (and its day)."""

    entries: Mapping[str, str]
    check: Mapping[str, str] = field(default_factory=dict)
    check_day: date | None = None

    def from_entries(self, qid: str, value: str) -> bool:
        if self.check_day is None:
            return True
        return self.entries.get(qid) == value and (qid != "area" or self.check.get(qid) != value)


def _journal_finding(
    finding: Finding, facts: dict[str, str], ruleset: Ruleset, sources: _Sources
) -> Finding:
    """The finding in words of where it comes from: what the entries show, then what it
    means; or the saved self-check's own reason."""
    pairs = finding.triggered_by
    by_entries = [sources.from_entries(qid, value) for qid, value in pairs]
    check_day = sources.check_day
    if finding.rule_id == "saved_check" or (
        check_day is not None and finding.rule_id == "not_enough_answers"
    ):
        return finding
    if check_day is not None and not (by_entries and all(by_entries)):
        return replace(finding, reason=_from_check(check_day, finding.reason, any(by_entries)))
    if finding.rule_id in ("checklist", "checklist_routine"):
        count = len({qid for qid, _ in pairs})
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
    answers = journal_answers(episode, ruleset)
    assessment = assess(answers, ruleset)
    facts = _facts(episode, ruleset)
    sources = _Sources(answers)
    findings = tuple(_journal_finding(f, facts, ruleset, sources) for f in assessment.findings)
    return replace(assessment, findings=findings)


def check_answers(check: Check, ruleset: Ruleset | None = None) -> dict[str, str]:
    """The saved answers today's rules still ask; a check from an older ruleset may hold
    questions or answers that have gone, and those are left out."""
    ruleset = ruleset or get_ruleset()
    answers = {}
    for qid, value in check.answers.items():
        try:
            question = ruleset.question(str(qid))
        except KeyError:
            continue
        if str(value) in question.values:
            answers[question.id] = str(value)
    return answers


def _held_at(assessment: Assessment, check: Check, day: date, ruleset: Ruleset) -> Assessment:
    """Never lower than the level the rules gave the saved check, while it is current: a
    check from an older ruleset may score lower under today's rules."""
    try:
        level = ruleset.level(check.level)
    except KeyError:
        return assessment
    if level.rank <= assessment.level.rank:
        return assessment
    held = Finding(
        rule_id="saved_check",
        level=level,
        reason=_from_check(
            day,
            f"its result was \u201c{level.label}\u201d. While that self-check is current, "
            f"your journal does not suggest less.",
        ),
        triggered_by=(),
        source=Source(id="saved_check", title=f"Your self-check on {_day(day)}"),
        explainer="when-to-get-help",
    )
    return replace(
        assessment,
        level=level,
        findings=(held, *assessment.findings),
        advice=(level.what_to_do,),
        if_worse=level.if_worse,
        show_self_care_plan=False,
        reassurance="",
    )


def assessment_with_check(
    episode: Episode | None, check: Check, day: date, ruleset: Ruleset | None = None
) -> tuple[dict[str, str], Assessment]:
    """The saved check's answers with what the entries show since (their positive findings
    win), assessed; never lower than the check's own answers or its saved level.

    Answers for the other area branch are dropped by the engine, so the check's answers
    alone are assessed too, in case the entries moved the area.
    """
    ruleset = ruleset or get_ruleset()
    entries = journal_answers(episode, ruleset)
    saved = check_answers(check, ruleset)
    shown = entries if set(entries) - {"area"} else {}
    merged = {**saved, **shown} if saved else entries
    facts = _facts(episode, ruleset)
    sources = _Sources(entries, saved, day)
    candidates = []
    for answers in (merged, saved):
        assessment = assess(answers, ruleset)
        findings = tuple(_journal_finding(f, facts, ruleset, sources) for f in assessment.findings)
        candidates.append((answers, replace(assessment, findings=findings)))
    answers, assessment = max(candidates, key=lambda pair: pair[1].level.rank)
    return answers, _held_at(assessment, check, day, ruleset)


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
    """The journal's one answer. `answers` are those assessed (the current check's with the
    entries'), `entry_answers` what the entries alone settle; `check` is the latest saved
    self-check, current or not, saved on `check_day` and current to `check_until`."""

    episode: Episode | None
    last_twitch: date | None
    answers: dict[str, str]
    assessment: Assessment | None
    patterns: tuple[str, ...]
    unknown: tuple[Question, ...]
    entry_answers: dict[str, str] = field(default_factory=dict)
    check: Check | None = None
    check_day: date | None = None
    check_until: date | None = None
    check_current: bool = False

    @property
    def checklist_total(self) -> int:
        return len(get_ruleset().checklist)

    @property
    def rules(self) -> JournalRules:
        return get_ruleset().journal

    @property
    def episode_over(self) -> bool:
        return self.episode is None and self.last_twitch is not None

    @property
    def entries_flagged(self) -> bool:
        """Whether the entries themselves settled any warning sign."""
        return bool(set(self.entry_answers) - {"area"})

    @property
    def check_expired(self) -> bool:
        return self.check is not None and not self.check_current

    @property
    def shows_emergency_signs(self) -> bool:
        """As the self-check's result: the emergency signs only from `remind_from_level`."""
        assessment = self.assessment
        return assessment is not None and (
            assessment.level.rank >= assessment.emergency_reminder_rank
        )


def _unknown(assessment: Assessment, ruleset: Ruleset) -> tuple[Question, ...]:
    return tuple(
        ruleset.question(qid)
        for qid in assessment.unanswered
        if ruleset.question(qid).red_flag and qid != "emergency_signs"
    )


def flags_from_twitches(
    twitches: Iterable[Twitch],
    until: datetime,
    tz: tzinfo,
    ruleset: Ruleset | None = None,
    *,
    check: Check | None = None,
    bother: Mapping[date, int] | None = None,
) -> JournalFlags:
    """The journal's one answer from its twitches (newest first, all before `until`), the
    latest saved self-check before `until` and the daily bother ratings by day."""
    ruleset = ruleset or get_ruleset()
    today = _today(until, tz)
    check_day = check.saved_at.astimezone(tz).date() if check else None
    current = check_day is not None and (today - check_day).days < (
        ruleset.journal.check_current_days
    )
    held = check if current else None
    twitches = iter(twitches)
    first = next(twitches, None)
    latest = first.occurred_at.astimezone(tz).date() if first else None
    episode = (
        current_episode(
            chain([first], twitches),
            until,
            tz,
            ruleset,
            bother=bother,
        )
        if first
        else None
    )
    entry_answers = journal_answers(episode, ruleset)
    check_fields = {
        "check": check,
        "check_day": check_day,
        "check_until": check_day
        and check_day + timedelta(days=ruleset.journal.check_current_days - 1),
        "check_current": current,
    }
    if held is not None:
        answers, assessment = assessment_with_check(episode, held, check_day, ruleset)
    elif episode is not None:
        answers, assessment = entry_answers, journal_assessment(episode, ruleset)
    else:
        return JournalFlags(None, latest, {}, None, (), (), **check_fields)
    return JournalFlags(
        episode,
        latest,
        answers,
        assessment,
        patterns_to_show(episode, ruleset) if episode else (),
        _unknown(assessment, ruleset),
        entry_answers,
        **check_fields,
    )


def latest_check(user: User, until: datetime) -> Check | None:
    saved = SavedCheck.objects.for_user(user).filter(created_at__lt=until).first()
    if saved is None:
        return None
    return Check(saved.created_at, saved.answers, saved.level, saved.ruleset_version)


def journal_flags(user: User, until: datetime | None = None) -> JournalFlags:
    """The person's one answer from their records before `until`: by default, the end of
    today in their time zone, the day `assess --journal` uses for a file."""
    ruleset = get_ruleset()
    tz = person_tz(user)
    until = until or day_start(person_today(user) + timedelta(days=1), tz)
    today = _today(until, tz)
    rows = (
        Entry.objects.for_user(user)
        .filter(occurred_at__lt=until)
        .order_by("-occurred_at", "-pk")
        .values_list(*TWITCH_FIELDS)
    )
    twitches = (Twitch(*row) for row in rows.iterator(chunk_size=500))
    bother = dict(
        CheckIn.objects.for_user(user)
        .filter(
            day__gt=today - timedelta(days=2 * ruleset.journal.trend_days),
            day__lte=today,
            bother__isnull=False,
        )
        .values_list("day", "bother")
    )
    return flags_from_twitches(
        twitches, until, tz, ruleset, check=latest_check(user, until), bother=bother
    )
