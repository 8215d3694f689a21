"""Export a person's whole journal as JSON or CSV, and check that JSON on its way back in.

An import checks every record first (`check_import`, here) and `services.journal_import`
saves nothing unless all of them are valid.
Records already in the journal (exact duplicates) are skipped, so importing the same
file twice changes nothing. Records always belong to the person importing them.
"""

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from journal.models import CLOCK_SKEW, EARLIEST, ENTRY_FIELDS, Entry, Plan, SavedCheck, User
from journal.plan import plan_end_day, plan_steps
from journal.timezones import person_today, person_tz

FORMAT = "twitch-check-journal"
FORMAT_VERSION = 1
# A journal of 100,000 twitches (a twitch an hour for over 11 years) exports to about
# 37 MB, so the limit holds about 180,000 such twitches.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_ERRORS_SHOWN = 20

REQUIRED_ENTRY_FIELDS = ("occurred_at", "region", "side", "duration")
BOOL = (bool,)
INT = (int,)
NUMBER = (int, float, str)
ENTRY_TYPES: dict[str, tuple[tuple[type, ...], bool, str]] = {
    # field: (JSON types allowed, null allowed, what to say when it is wrong)
    "occurred_at": ((str,), False, "a date and time, like 2026-11-25T08:30:00+00:00"),
    "region": ((str,), False, "text"),
    "side": ((str,), False, "text"),
    "duration": ((str,), False, "text"),
    "intensity": (INT, False, "a whole number"),
    "caffeine_cups": (INT, True, "a whole number or null"),
    "sleep_hours": (NUMBER, True, "a number or null"),
    "stress": (INT, True, "a whole number or null"),
    "hard_exercise": (BOOL, True, "true, false or null"),
    "water_litres": (NUMBER, True, "a number or null"),
    "weakness": (BOOL, False, "true or false"),
    "numbness": (BOOL, False, "true or false"),
    "cramp": (BOOL, False, "true or false"),
    "muscle_thinning": (BOOL, False, "true or false"),
    "notes": ((str,), False, "text"),
}
CODE = re.compile(r"[a-z0-9_]{1,40}")
SPREADSHEET_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _when(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def entry_record(entry: Entry) -> dict[str, Any]:
    record = {name: getattr(entry, name) for name in ENTRY_FIELDS}
    record["occurred_at"] = _when(entry.occurred_at)
    record["sleep_hours"] = _number(entry.sleep_hours)
    record["water_litres"] = _number(entry.water_litres)
    return record


def saved_check_record(check: SavedCheck) -> dict[str, Any]:
    return {
        "created_at": _when(check.created_at),
        "level": check.level,
        "ruleset_version": check.ruleset_version,
        "answers": check.answers,
    }


def plan_record(plan: Plan) -> dict[str, Any]:
    return {
        "started_on": plan.started_on.isoformat(),
        "ended_on": plan.ended_on.isoformat() if plan.ended_on else None,
        "checks": [
            {"day": check.day.isoformat(), "step": check.step_id} for check in plan.checks.all()
        ],
    }


def _entries(user: User) -> Iterator[Entry]:
    return Entry.objects.for_user(user).order_by("occurred_at", "pk").iterator(chunk_size=2000)


def _saved_checks(user: User) -> QuerySet[SavedCheck]:
    return SavedCheck.objects.for_user(user).order_by("created_at", "pk")


def export_data(user: User) -> dict[str, Any]:
    """Everything in a person's journal: four SQL queries however much there is."""
    plans = Plan.objects.for_user(user).order_by("started_on", "pk").prefetch_related("checks")
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": _when(timezone.now()),
        "time_zone": user.time_zone,
        "entries": [entry_record(entry) for entry in _entries(user)],
        "saved_checks": [saved_check_record(check) for check in _saved_checks(user)],
        "plans": [plan_record(plan) for plan in plans],
    }


def export_json(user: User) -> str:
    return json.dumps(export_data(user), indent=1, ensure_ascii=False)


CSV_COLUMNS = (
    "record", "when", "region", "side", "how_long", "intensity", "caffeine_cups",
    "sleep_hours", "stress", "hard_exercise", "water_litres", "weakness", "numbness", "cramp",
    "muscle_thinning", "notes", "level", "ruleset_version", "answers",
)  # fmt: skip


def _cell(value: Any) -> str:
    """A spreadsheet cell that can never run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return "'" + text if text.startswith(SPREADSHEET_FORMULA) else text


def export_csv(user: User) -> str:
    """Entries, then saved self-checks, one row each, times in the person's time zone."""
    tz = person_tz(user)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for entry in _entries(user):
        when = entry.occurred_at.astimezone(tz).isoformat()
        row = {"record": "twitch", "when": when, "how_long": entry.duration, **entry_record(entry)}
        writer.writerow([_cell(row.get(column)) for column in CSV_COLUMNS])
    for check in _saved_checks(user):
        when = check.created_at.astimezone(tz).isoformat()
        answers = "; ".join(f"{qid}={value}" for qid, value in check.answers.items())
        row = {
            "record": "self_check",
            "when": when,
            **saved_check_record(check),
            "answers": answers,
        }
        writer.writerow([_cell(row.get(column)) for column in CSV_COLUMNS])
    return out.getvalue()


# Import ---------------------------------------------------------------------------------


# Entries are checked against the entry form's rules and the model's own limits, field by
# field without a form each: a journal of 100,000 entries must import within seconds.
ENTRY_DEFAULTS: dict[str, Any] = {
    "intensity": 2,
    "notes": "",
    "weakness": False,
    "numbness": False,
    "cramp": False,
    "muscle_thinning": False,
}


@dataclass(frozen=True)
class FieldRule:
    name: str
    types: tuple[type, ...]
    nullable: bool
    expected: str
    choices: frozenset[str] | None = None
    low: int | None = None
    high: int | None = None
    max_length: int | None = None
    decimal_places: int | None = None


def _field_rule(name: str) -> FieldRule:
    model_field = Entry._meta.get_field(name)
    low = next((v.limit_value for v in model_field.validators if v.code == "min_value"), None)
    high = next((v.limit_value for v in model_field.validators if v.code == "max_value"), None)
    if isinstance(model_field, models.PositiveSmallIntegerField) and low is None:
        low = 0
    types, nullable, expected = ENTRY_TYPES[name]
    return FieldRule(
        name=name,
        types=types,
        nullable=nullable,
        expected=expected,
        choices=frozenset(value for value, _ in model_field.choices)
        if model_field.choices
        else None,
        low=low,
        high=high,
        max_length=model_field.max_length if isinstance(model_field, models.TextField) else None,
        decimal_places=getattr(model_field, "decimal_places", None),
    )


ENTRY_RULES = tuple(_field_rule(name) for name in ENTRY_FIELDS[1:])


def _entry_value(rule: FieldRule, value: Any) -> Any:
    """The value to store for one field, or ValueError saying what is wrong."""
    name = rule.name
    if value is None:
        if rule.nullable:
            return None
        raise ValueError(f'"{name}" should be {rule.expected}.')
    if not isinstance(value, rule.types) or (isinstance(value, bool) and bool not in rule.types):
        raise ValueError(f'"{name}" should be {rule.expected}.')
    if rule.choices is not None:
        if value not in rule.choices:
            raise ValueError(f'"{name}" should be one of: {", ".join(sorted(rule.choices))}.')
        return value
    if rule.decimal_places is not None:
        try:
            value = Decimal(str(value).strip())
        except ArithmeticError:
            raise ValueError(f'"{name}" should be a number.') from None
        if not value.is_finite():
            raise ValueError(f'"{name}" should be a number.')
    if (rule.low is not None and value < rule.low) or (rule.high is not None and value > rule.high):
        raise ValueError(f'"{name}" should be from {rule.low} to {rule.high}.')
    if rule.decimal_places is not None and value != round(value, rule.decimal_places):
        raise ValueError(f'"{name}" should have {rule.decimal_places} decimal place at most.')
    if rule.max_length is not None:
        if not _storable(value):
            raise ValueError(f'"{name}" has characters that cannot be saved.')
        value = value.strip()
        if len(value) > rule.max_length:
            raise ValueError(f'"{name}" should be {rule.max_length:,} characters or fewer.')
    return value


def _occurred_at(value: Any, tz: ZoneInfo, latest: datetime) -> datetime:
    """An entry's time, in UTC, within the entry form's limits, or ValueError saying why."""
    expected = f'"occurred_at" should be {ENTRY_TYPES["occurred_at"][2]}'
    if not isinstance(value, str):
        raise ValueError(f"{expected}.")
    try:
        when = datetime.fromisoformat(value)
        if when.tzinfo is None:
            when = when.replace(tzinfo=tz)
        when = when.astimezone(UTC)
    except (ValueError, OverflowError):
        raise ValueError(f"{expected}, not {value[:40]!r}.") from None
    if when < EARLIEST:
        raise ValueError('"occurred_at" should be in the year 2000 or later.')
    if when > latest:
        raise ValueError('"occurred_at" is in the future.')
    return when


def _entry_row(record: Any, tz: ZoneInfo, latest: datetime) -> tuple:
    """One record's values in `ENTRY_FIELDS` order, or ValueError with everything wrong."""
    if not isinstance(record, dict):
        raise ValueError("this should be a record in curly brackets {...}.")
    missing = [name for name in REQUIRED_ENTRY_FIELDS if name not in record]
    if missing:
        raise ValueError(*(f'"{name}" is missing.' for name in missing))
    errors: list[str] = []
    row: list[Any] = []
    try:
        row.append(_occurred_at(record["occurred_at"], tz, latest))
    except ValueError as error:
        errors.append(str(error))
    for rule in ENTRY_RULES:
        try:
            row.append(_entry_value(rule, record.get(rule.name, ENTRY_DEFAULTS.get(rule.name))))
        except ValueError as error:
            errors.append(str(error))
    if errors:
        raise ValueError(*errors)
    return tuple(row)


class SavedCheckRecordForm(forms.Form):
    created_at = forms.DateTimeField()
    level = forms.RegexField(regex=CODE, max_length=32)
    ruleset_version = forms.CharField(max_length=32)

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__(data)
        self.raw_answers = data.get("answers")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        answers = self.raw_answers
        if not isinstance(answers, dict) or len(answers) > 50 or not all(
            isinstance(key, str) and isinstance(value, str) and CODE.fullmatch(key)
            and CODE.fullmatch(value)
            for key, value in answers.items()
        ):  # fmt: skip
            raise forms.ValidationError(
                '"answers" should list each question id with its answer, like {"area": "eyelid"}.'
            )
        cleaned["answers"] = dict(answers)
        return cleaned

    def clean_created_at(self) -> datetime:
        try:
            when = self.cleaned_data["created_at"].astimezone(UTC)
        except OverflowError:
            when = None
        if when is None or not EARLIEST <= when <= timezone.now() + CLOCK_SKEW:
            raise forms.ValidationError("Enter a time from the year 2000 up to now.")
        return when


class PlanRecordForm(forms.Form):
    started_on = forms.DateField()
    ended_on = forms.DateField(required=False)

    def __init__(self, data: dict[str, Any], *, today: date) -> None:
        super().__init__(data)
        self.today = today

    def clean_started_on(self) -> date:
        day = self.cleaned_data["started_on"]
        if not EARLIEST.date() <= day <= self.today:
            raise forms.ValidationError("Enter a start day from the year 2000 up to today.")
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("started_on"), cleaned.get("ended_on")
        if start and end and not start <= end <= self.today:
            self.add_error("ended_on", "Enter an end day from the start day up to today.")
        return cleaned


def _form_errors(form: forms.BaseForm) -> list[str]:
    messages = []
    for name, errors in form.errors.items():
        label = "" if name == "__all__" else f'"{name}": '
        messages.extend(f"{label}{error}" for error in errors)
    return messages


CHECK_TYPES = {
    "created_at": ((str,), False, "a date and time, like 2026-11-25T08:30:00+00:00"),
    "level": ((str,), False, "text"),
    "ruleset_version": ((str,), False, "text"),
}
PLAN_TYPES = {
    "started_on": ((str,), False, "a date, like 2026-11-25"),
    "ended_on": ((str,), True, "a date, like 2026-11-25, or null"),
    "checks": ((list,), False, 'a list of {"day": ..., "step": ...}'),
}


def _type_errors(record: Any, types: dict, required: tuple[str, ...]) -> list[str]:
    """Wrong JSON types, caught before a form sees them."""
    if not isinstance(record, dict):
        return ["this should be a record in curly brackets {...}."]
    errors = [f'"{name}" is missing.' for name in required if name not in record]
    for name, (allowed, nullable, expected) in types.items():
        if name not in record:
            continue
        value = record[name]
        wrong_bool = isinstance(value, bool) and bool not in allowed
        if (value is None and not nullable) or (
            value is not None and (wrong_bool or not isinstance(value, allowed))
        ):
            errors.append(f'"{name}" should be {expected}.')
        elif isinstance(value, str) and not _storable(value):
            errors.append(f'"{name}" has characters that cannot be saved.')
    return errors


def _storable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


def _plan_checks(raw: list, started_on: date, today: date) -> set[tuple[date, str]]:
    """The plan's check-offs: known steps on days of the plan up to today, or ValueError."""
    steps = {step.id for step in plan_steps()}
    last_day = min(plan_end_day(started_on), today)
    checks = set()
    for check in raw:
        if not isinstance(check, dict) or not isinstance(check.get("day"), str):
            raise ValueError('each check should have a "day" date and a "step" id.')
        step = check.get("step")
        if step not in steps:
            raise ValueError(f'"step" should be one of: {", ".join(sorted(steps))}.')
        try:
            day = forms.DateField().clean(check["day"])
        except forms.ValidationError:
            raise ValueError('each check should have a "day" date and a "step" id.') from None
        if not started_on <= day <= last_day:
            raise ValueError("each check should be on a day of the plan, up to today.")
        checks.add((day, step))
    return checks


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)
    error_count: int = 0
    # New entries, each its values in `ENTRY_FIELDS` order.
    entries: list[tuple] = field(default_factory=list)
    saved_checks: list[tuple[SavedCheck, datetime]] = field(default_factory=list)
    plans: list[tuple[date, date | None, set[tuple[date, str]]]] = field(default_factory=list)
    skipped: int = 0

    def add_error(self, where: str, messages: list[str]) -> None:
        for message in messages:
            self.error_count += 1
            if len(self.errors) < MAX_ERRORS_SHOWN:
                self.errors.append(f"{where}: {message}")

    @property
    def ok(self) -> bool:
        return not self.error_count

    @property
    def added(self) -> int:
        return len(self.entries) + len(self.saved_checks) + len(self.plans)


def _key(record: dict[str, Any]) -> str:
    return json.dumps(record, sort_keys=True, default=str)


def read_journal_file(raw: bytes) -> dict[str, Any]:
    """The journal file's data, or a ValidationError saying why it cannot be read."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise forms.ValidationError(
            "This is not a journal file: it could not be read as JSON."
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise forms.ValidationError(
            "This is not a Twitch Check journal file. Choose the .json file you exported."
        )
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version != FORMAT_VERSION:
        raise forms.ValidationError(
            "This journal file comes from a version of Twitch Check we cannot read."
        )
    for key in ("entries", "saved_checks", "plans"):
        if not isinstance(data.get(key, []), list):
            raise forms.ValidationError(f'In this file, "{key}" should be a list.')
    return data


def checked_rows(
    data: dict[str, Any], *, tz: ZoneInfo, latest: datetime, result: ImportResult
) -> Iterator[tuple]:
    """Each valid entry record as its values in `ENTRY_FIELDS` order; the others go to
    `result` as errors. The import and `assess --journal` both read entries through this."""
    for number, record in enumerate(data.get("entries", []), start=1):
        try:
            yield _entry_row(record, tz, latest)
        except ValueError as error:
            result.add_error(f"Twitch {number}", list(error.args))


def check_import(user: User, data: dict[str, Any]) -> ImportResult:
    """Check every record; collect what is new. Saves nothing."""
    result = ImportResult()
    tz, latest = person_tz(user), timezone.now() + CLOCK_SKEW
    have = set(Entry.objects.for_user(user).values_list(*ENTRY_FIELDS))
    for row in checked_rows(data, tz=tz, latest=latest, result=result):
        if row in have:
            result.skipped += 1
            continue
        have.add(row)
        result.entries.append(row)

    have = {_key(saved_check_record(c)) for c in SavedCheck.objects.for_user(user)}
    for number, record in enumerate(data.get("saved_checks", []), start=1):
        where = f"Saved self-check {number}"
        errors = _type_errors(record, CHECK_TYPES, tuple(CHECK_TYPES))
        if errors:
            result.add_error(where, errors)
            continue
        form = SavedCheckRecordForm(record)
        if not form.is_valid():
            result.add_error(where, _form_errors(form))
            continue
        check = SavedCheck(
            user=user,
            answers=form.cleaned_data["answers"],
            level=form.cleaned_data["level"],
            ruleset_version=form.cleaned_data["ruleset_version"],
            created_at=form.cleaned_data["created_at"],
        )
        key = _key(saved_check_record(check))
        if key in have:
            result.skipped += 1
            continue
        have.add(key)
        result.saved_checks.append((check, form.cleaned_data["created_at"]))

    today = person_today(user)
    have_plans = set(Plan.objects.for_user(user).values_list("started_on", flat=True))
    for number, record in enumerate(data.get("plans", []), start=1):
        where = f"Self-care plan {number}"
        errors = _type_errors(record, PLAN_TYPES, ("started_on",))
        if errors:
            result.add_error(where, errors)
            continue
        form = PlanRecordForm(record, today=today)
        if not form.is_valid():
            result.add_error(where, _form_errors(form))
            continue
        try:
            checks = _plan_checks(record.get("checks", []), form.cleaned_data["started_on"], today)
        except ValueError as error:
            result.add_error(where, [str(error)])
            continue
        started_on = form.cleaned_data["started_on"]
        if started_on in have_plans:
            result.skipped += 1
            continue
        have_plans.add(started_on)
        result.plans.append((started_on, form.cleaned_data["ended_on"], checks))
    return result
