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
from operator import attrgetter
from typing import Annotated, Any, ClassVar, Literal, Self
from zoneinfo import ZoneInfo

from django import forms
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationInfo,
    model_validator,
)
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from journal.models import CLOCK_SKEW, EARLIEST, ENTRY_FIELDS, Entry, Plan, SavedCheck, User
from journal.plan import plan_end_day, plan_steps
from journal.timezones import person_today, person_tz

FORMAT = "twitch-check-journal"
FORMAT_VERSION = 1
# A journal of 100,000 twitches (a twitch an hour for over 11 years) exports to about
# 37 MB, so the limit holds about 180,000 such twitches.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_ERRORS_SHOWN = 20

CODE = re.compile(r"[a-z0-9_]{1,40}")
# A question id or an answer, whole.
ANSWER = rf"^{CODE.pattern}$"
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
#
# The file (`JournalFile`) and each kind of record in it (`EntryRecord`, `SavedCheckRecord`,
# `PlanRecord`) are declared with pydantic. Each record is checked on its own, so every
# problem names its record ("Twitch 3: ..."), in the words the entry forms use.

# The export writes a twitch in 354 bytes or more, so a file under MAX_FILE_BYTES that it
# wrote holds fewer than 190,000: a file with more records than this (twitches, saved
# self-checks and self-care plans together) is refused before any of them is read.
MAX_RECORDS = 200_000
# Before the JSON is parsed, its objects and lists, and its values (an exported twitch
# has 17), are counted from its brackets and commas: a file of millions of tiny records
# (`[{}, {}, ...]`) would otherwise take gigabytes as Python objects before they could be
# counted.
MAX_CONTAINERS = 2 * MAX_RECORDS
MAX_VALUES = 20 * MAX_RECORDS

NOT_JSON = "This is not a journal file: it could not be read as JSON."
NOT_A_JOURNAL = "This is not a Twitch Check journal file. Choose the .json file you exported."
OTHER_VERSION = "This journal file comes from a version of Twitch Check we cannot read."
TOO_MANY_RECORDS = (
    f"This file has too many records: a journal file holds at most {MAX_RECORDS:,} "
    "twitches, saved self-checks and self-care plans."
)
NOT_A_RECORD = "this should be a record in curly brackets {...}."
ANSWERS = '"answers" should list each question id with its answer, like {"area": "eyelid"}.'
PLAN_CHECK = 'each check should have a "day" date and a "step" id.'
# Text that a database can store: no NUL character (a lone surrogate is refused as well,
# as text pydantic cannot read).
STORABLE = r"^[^\x00]*$"

_MARKS = b'"{}[],'
_NOT_MARKS = bytes(sorted(set(range(256)) - set(_MARKS)))
_STRING = re.compile(rb'"[^"]*"')


def _marks(raw: bytes) -> bytes:
    """The JSON text's quotes, brackets and commas, without its escaped quotes."""
    if b"\\" in raw:
        # An escaped backslash or quote never opens or closes a string.
        raw = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    return raw.translate(None, _NOT_MARKS)


def _outside_strings(marks: bytes, piece: int = 2**20) -> Iterator[bytes]:
    """The brackets and commas in `marks` that are not inside a string, a piece at a time."""
    start = 0
    while start < len(marks):
        end = min(start + piece, len(marks))
        if marks.count(b'"', start, end) % 2:  # a string is open at `end`: take it whole
            end = marks.find(b'"', end) + 1 or len(marks)
        yield _STRING.sub(b"", marks[start:end])
        start = end


def _small_enough(raw: bytes) -> bool:
    """Whether the JSON text holds at most MAX_CONTAINERS objects and lists and MAX_VALUES
    values, counted without parsing it. Counting the brackets and commas inside its strings
    too settles it for any real journal; a file that fails that is counted exactly, as far
    as the limit, in well under a second and a copy or two of the file's memory."""
    containers = raw.count(b"{") + raw.count(b"[")
    if containers <= MAX_CONTAINERS and containers + raw.count(b",") <= MAX_VALUES:
        return True
    containers = values = 0
    for marks in _outside_strings(_marks(raw)):
        opened = marks.count(b"{") + marks.count(b"[")
        containers += opened
        values += opened + marks.count(b",")
        if containers > MAX_CONTAINERS or values > MAX_VALUES:
            return False
    return True


# The models below are built when a journal file is first read, not when a process starts.
JSON_AS_IT_IS = ConfigDict(strict=True, extra="ignore", defer_build=True)


class JournalFile(BaseModel):
    """What an import reads of the file as a whole; each record is checked on its own."""

    model_config = JSON_AS_IT_IS

    format: Literal[FORMAT]
    version: Annotated[int, Field(ge=FORMAT_VERSION, le=FORMAT_VERSION)]  # not 1.0, nor true
    entries: list[Any] = []
    saved_checks: list[Any] = []
    plans: list[Any] = []

    @property
    def records(self) -> int:
        return len(self.entries) + len(self.saved_checks) + len(self.plans)

    @staticmethod
    def problem(error: ErrorDetails) -> str:
        match error["loc"]:
            case ("version",):
                return OTHER_VERSION
            case ("entries" | "saved_checks" | "plans" as key,):
                return f'In this file, "{key}" should be a list.'
        return NOT_A_JOURNAL


def read_journal_file(raw: bytes) -> dict[str, Any]:
    """The journal file's data, or a ValidationError saying why it cannot be read. Its
    records are counted before any of them is read."""
    if not _small_enough(raw):
        raise forms.ValidationError(TOO_MANY_RECORDS)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise forms.ValidationError(NOT_JSON) from None
    try:
        journal = JournalFile.model_validate(data)
    except PydanticValidationError as error:
        raise forms.ValidationError(JournalFile.problem(error.errors()[0])) from None
    if journal.records > MAX_RECORDS:
        raise forms.ValidationError(TOO_MANY_RECORDS)
    return data


def _words(message: str) -> PydanticCustomError:
    """A problem with a record, in the words a person reads."""
    return PydanticCustomError("journal", "{message}", {"message": message})


class Record(BaseModel):
    """One record of a journal file, in JSON's own types ("2" is not a number); keys the
    import does not read are ignored. A wrong type is named with `expected`."""

    model_config = JSON_AS_IT_IS
    expected: ClassVar[dict[str, str]] = {}

    @classmethod
    def problems(cls, error: PydanticValidationError) -> list[str]:
        """Everything wrong with one record, each said once."""
        return list(dict.fromkeys(map(cls.problem, error.errors(include_url=False))))

    @classmethod
    def problem(cls, error: ErrorDetails) -> str:
        if error["type"] == "journal":
            return error["ctx"]["message"]
        if not error["loc"]:
            return NOT_A_RECORD
        name = error["loc"][0]
        if error["type"] == "missing":
            return f'"{name}" is missing.'
        if error["type"] in ("string_pattern_mismatch", "string_unicode"):
            return f'"{name}" has characters that cannot be saved.'
        if name in cls.expected:
            return f'"{name}" should be {cls.expected[name]}.'
        return f'"{name}": {error["msg"]}.'


def _read_as(form_field: forms.Field, expected: str) -> PlainValidator:
    """Text read as one of Django's form fields reads it, so an import takes what the
    forms take; a problem is said in the field's words."""

    def read(value: Any, info: ValidationInfo) -> Any:
        name = info.field_name
        if value is None and not form_field.required:
            return None
        if not isinstance(value, str):
            raise _words(f'"{name}" should be {expected}.')
        if "\x00" in value or not _encodable(value):
            raise _words(f'"{name}" has characters that cannot be saved.')
        try:
            return form_field.clean(value)
        except forms.ValidationError as error:
            raise _words(f'"{name}": {error.messages[0]}') from None

    return PlainValidator(read)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# Entries are checked against the entry form's rules and the model's own limits, read from
# the model: a journal of 100,000 entries must import within seconds.


def _limits(name: str) -> tuple[int | None, int | None]:
    model_field = Entry._meta.get_field(name)
    found = {v.code: v.limit_value for v in model_field.validators if hasattr(v, "limit_value")}
    low = found.get("min_value")
    if low is None and isinstance(model_field, models.PositiveSmallIntegerField):
        low = 0
    return low, found.get("max_value")


def _whole(name: str) -> Any:
    low, high = _limits(name)
    return Annotated[int, Field(ge=low, le=high)]


def _decimal(name: str) -> Any:
    low, high = _limits(name)
    places = Entry._meta.get_field(name).decimal_places
    # A number may be given as text, like "7.5", as the entry form takes it.
    return Annotated[
        Decimal, Field(strict=False, ge=low, le=high, decimal_places=places, allow_inf_nan=False)
    ]


def _choice(name: str) -> Any:
    return Literal[tuple(value for value, _ in Entry._meta.get_field(name).choices)]


def _text(name: str) -> Any:
    max_length = Entry._meta.get_field(name).max_length

    def stripped(value: str) -> str:
        value = value.strip()
        if len(value) > max_length:
            raise _words(f'"{name}" should be {max_length:,} characters or fewer.')
        return value

    return Annotated[str, Field(pattern=STORABLE), AfterValidator(stripped)]


def _occurred_at(value: Any, info: ValidationInfo) -> datetime:
    """An entry's time, in UTC, within the entry form's limits: `info.context` gives the time
    zone of a time without one, and the latest time allowed."""
    expected = f'"occurred_at" should be {EntryRecord.expected["occurred_at"]}'
    if not isinstance(value, str):
        raise _words(f"{expected}.")
    try:
        when = datetime.fromisoformat(value)
        if when.tzinfo is None:
            when = when.replace(tzinfo=info.context["tz"])
        when = when.astimezone(UTC)
    except (ValueError, OverflowError):
        raise _words(f"{expected}, not {value[:40]!r}.") from None
    if when < EARLIEST:
        raise _words('"occurred_at" should be in the year 2000 or later.')
    if when > info.context["latest"]:
        raise _words('"occurred_at" is in the future.')
    return when


class EntryRecord(Record):
    """One twitch."""

    expected: ClassVar = {
        "occurred_at": "a date and time, like 2026-11-25T08:30:00+00:00",
        "region": "text",
        "side": "text",
        "duration": "text",
        "intensity": "a whole number",
        "caffeine_cups": "a whole number or null",
        "sleep_hours": "a number or null",
        "stress": "a whole number or null",
        "hard_exercise": "true, false or null",
        "water_litres": "a number or null",
        "weakness": "true or false",
        "numbness": "true or false",
        "cramp": "true or false",
        "muscle_thinning": "true or false",
        "notes": "text",
    }

    occurred_at: Annotated[datetime, PlainValidator(_occurred_at)]
    region: _choice("region")
    side: _choice("side")
    duration: _choice("duration")
    intensity: _whole("intensity") = 2
    caffeine_cups: _whole("caffeine_cups") | None = None
    sleep_hours: _decimal("sleep_hours") | None = None
    stress: _whole("stress") | None = None
    hard_exercise: bool | None = None
    water_litres: _decimal("water_litres") | None = None
    weakness: bool = False
    numbness: bool = False
    cramp: bool = False
    muscle_thinning: bool = False
    notes: _text("notes") = ""

    @classmethod
    def problem(cls, error: ErrorDetails) -> str:
        kind, name = error["type"], error["loc"][0] if error["loc"] else ""
        if kind == "literal_error" and isinstance(error["input"], str):
            choices = Entry._meta.get_field(name).choices
            return f'"{name}" should be one of: {", ".join(sorted(v for v, _ in choices))}.'
        if kind in ("greater_than_equal", "less_than_equal"):
            low, high = _limits(name)
            return f'"{name}" should be from {low} to {high}.'
        if kind in ("decimal_parsing", "finite_number"):
            return f'"{name}" should be a number.'
        if kind == "decimal_max_places":
            places = error["ctx"]["decimal_places"]
            return f'"{name}" should have {places} decimal place at most.'
        return super().problem(error)


_ENTRY_ROW = attrgetter(*ENTRY_FIELDS)


def _up_to_now(when: datetime) -> datetime:
    try:
        when = when.astimezone(UTC)
    except OverflowError:
        when = None
    if when is None or not EARLIEST <= when <= timezone.now() + CLOCK_SKEW:
        raise _words('"created_at": Enter a time from the year 2000 up to now.')
    return when


class SavedCheckRecord(Record):
    """One saved self-check result: its answers, and the level the rules then gave them."""

    created_at: Annotated[
        datetime,
        _read_as(forms.DateTimeField(), "a date and time, like 2026-11-25T08:30:00+00:00"),
        AfterValidator(_up_to_now),
    ]
    level: Annotated[str, _read_as(forms.RegexField(regex=CODE, max_length=32), "text")]
    ruleset_version: Annotated[str, _read_as(forms.CharField(max_length=32), "text")]
    answers: Annotated[
        dict[Annotated[str, Field(pattern=ANSWER)], Annotated[str, Field(pattern=ANSWER)]],
        Field(max_length=50),
    ]

    @classmethod
    def problem(cls, error: ErrorDetails) -> str:
        if error["loc"][:1] == ("answers",):
            return ANSWERS
        return super().problem(error)


def _plan_day(value: Any) -> date:
    if not isinstance(value, str):
        raise _words(PLAN_CHECK)
    try:
        return forms.DateField().clean(value)
    except forms.ValidationError:
        raise _words(PLAN_CHECK) from None


def _plan_step(value: Any) -> str:
    steps = {step.id for step in plan_steps()}
    if value not in steps:
        raise _words(f'"step" should be one of: {", ".join(sorted(steps))}.')
    return value


class PlanCheck(Record):
    """A step of the self-care plan, ticked on a day."""

    day: Annotated[date, PlainValidator(_plan_day)]
    step: Annotated[Any, AfterValidator(_plan_step)] = Field(None, validate_default=True)


class PlanRecord(Record):
    """One self-care plan, with the steps ticked each day: `info.context` gives today."""

    expected: ClassVar = {"checks": 'a list of {"day": ..., "step": ...}'}

    started_on: Annotated[date, _read_as(forms.DateField(), "a date, like 2026-11-25")]
    ended_on: Annotated[
        date | None, _read_as(forms.DateField(required=False), "a date, like 2026-11-25, or null")
    ] = None
    checks: list[PlanCheck] = []

    @model_validator(mode="after")
    def _within_the_plan(self, info: ValidationInfo) -> Self:
        today = info.context["today"]
        if not EARLIEST.date() <= self.started_on <= today:
            raise _words('"started_on": Enter a start day from the year 2000 up to today.')
        if self.ended_on and not self.started_on <= self.ended_on <= today:
            raise _words('"ended_on": Enter an end day from the start day up to today.')
        last_day = min(plan_end_day(self.started_on), today)
        if not all(self.started_on <= check.day <= last_day for check in self.checks):
            raise _words("each check should be on a day of the plan, up to today.")
        return self

    @classmethod
    def problem(cls, error: ErrorDetails) -> str:
        if error["loc"][:1] == ("checks",) and len(error["loc"]) > 1:
            return error["ctx"]["message"] if error["type"] == "journal" else PLAN_CHECK
        return super().problem(error)


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


def _valid[R: Record](
    kind: type[R], records: list[Any], name: str, result: ImportResult, **context: Any
) -> Iterator[R]:
    """Each record that is right, as a `kind`; the others go to `result` as errors, named
    `name` and their number in the file."""
    for number, record in enumerate(records, start=1):
        try:
            yield kind.model_validate(record, context=context)
        except PydanticValidationError as error:
            result.add_error(f"{name} {number}", kind.problems(error))


def _key(record: dict[str, Any]) -> str:
    return json.dumps(record, sort_keys=True, default=str)


def checked_rows(
    data: dict[str, Any], *, tz: ZoneInfo, latest: datetime, result: ImportResult
) -> Iterator[tuple]:
    """Each valid entry record as its values in `ENTRY_FIELDS` order; the others go to
    `result` as errors. The import and `assess --journal` both read entries through this."""
    entries = data.get("entries", [])
    for entry in _valid(EntryRecord, entries, "Twitch", result, tz=tz, latest=latest):
        yield _ENTRY_ROW(entry)


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
    records = data.get("saved_checks", [])
    for record in _valid(SavedCheckRecord, records, "Saved self-check", result):
        check = SavedCheck(
            user=user,
            answers=record.answers,
            level=record.level,
            ruleset_version=record.ruleset_version,
            created_at=record.created_at,
        )
        key = _key(saved_check_record(check))
        if key in have:
            result.skipped += 1
            continue
        have.add(key)
        result.saved_checks.append((check, record.created_at))

    have_plans = set(Plan.objects.for_user(user).values_list("started_on", flat=True))
    today = person_today(user)
    for plan in _valid(PlanRecord, data.get("plans", []), "Self-care plan", result, today=today):
        if plan.started_on in have_plans:
            result.skipped += 1
            continue
        have_plans.add(plan.started_on)
        checks = {(check.day, check.step) for check in plan.checks}
        result.plans.append((plan.started_on, plan.ended_on, checks))
    return result
