"""Export a person's whole journal as JSON or CSV, and check that JSON on its way back in.

An import checks every record first (`check_import`, here) and `services.journal_import`
saves nothing unless all of them are valid.
Records already in the journal (exact duplicates) are skipped, so importing the same
file twice changes nothing; a check-in for a day the journal already has one for is
skipped too, keeping the one in the journal. Records always belong to the person
importing them.

The file's version 2 keeps each day's factors (caffeine, sleep, stress, hard exercise,
water) in its own "check_ins" list; version 1 kept them on every twitch, and still
imports: each local day's factors (in the file's time zone) become that day's check-in,
merged as the check-ins migration merged them.
"""

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from operator import attrgetter
from typing import Annotated, Any, ClassVar, Literal, Self
from zoneinfo import ZoneInfo

from django import forms
from django.db import models
from django.db.models import QuerySet
from django.utils import dateformat, timezone
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

from journal.models import (
    CHECK_IN_FIELDS,
    CLOCK_SKEW,
    EARLIEST,
    ENTRY_FIELDS,
    CheckIn,
    Entry,
    Plan,
    SavedCheck,
    User,
)
from journal.plan import plan_end_day, plan_steps
from journal.saved_results import level_label, saved_answer_rows
from journal.timezones import person_today, person_tz

FORMAT = "twitch-check-journal"
FORMAT_VERSION = 2
# Version 1 kept the day factors on each twitch.
DAY_FACTORS = ("caffeine_cups", "sleep_hours", "stress", "hard_exercise", "water_litres")
# A journal of 100,000 twitches (a twitch an hour for over 11 years) exports to about
# 24 MB, so the limit holds over 250,000 such twitches.
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
    return record


def check_in_record(check_in: CheckIn) -> dict[str, Any]:
    record = {name: getattr(check_in, name) for name in CHECK_IN_FIELDS}
    record["day"] = check_in.day.isoformat()
    record["sleep_hours"] = _number(check_in.sleep_hours)
    record["water_litres"] = _number(check_in.water_litres)
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


def _check_ins(user: User) -> QuerySet[CheckIn]:
    return CheckIn.objects.for_user(user).order_by("day")


def _saved_checks(user: User) -> QuerySet[SavedCheck]:
    return SavedCheck.objects.for_user(user).order_by("created_at", "pk")


def export_data(user: User) -> dict[str, Any]:
    """Everything in a person's journal: five SQL queries however much there is."""
    plans = Plan.objects.for_user(user).order_by("started_on", "pk").prefetch_related("checks")
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": _when(timezone.now()),
        "time_zone": user.time_zone,
        "entries": [entry_record(entry) for entry in _entries(user)],
        "check_ins": [check_in_record(check_in) for check_in in _check_ins(user)],
        "saved_checks": [saved_check_record(check) for check in _saved_checks(user)],
        "plans": [plan_record(plan) for plan in plans],
    }


def export_json(user: User) -> str:
    return json.dumps(export_data(user), indent=1, ensure_ascii=False)


def _cell(value: Any) -> str:
    """A spreadsheet cell in words that can never run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    text = str(value)
    return "'" + text if text.startswith(SPREADSHEET_FORMULA) else text


def _local_time(when: datetime, tz: ZoneInfo) -> str:
    """Like "6 December 2026, 14:05", in `tz`."""
    return dateformat.format(when.astimezone(tz), "j F Y, H:i")


def _day(day: date) -> str:
    """Like "6 December 2026"."""
    return dateformat.format(day, "j F Y")


def _twitch_row(entry: Entry, tz: ZoneInfo) -> list[Any]:
    return [
        _local_time(entry.occurred_at, tz),
        entry.get_region_display(),
        entry.get_side_display(),
        entry.get_duration_display(),
        entry.intensity,
        entry.weakness,
        entry.numbness,
        entry.cramp,
        entry.muscle_thinning,
        entry.notes,
    ]


def _check_in_row(check_in: CheckIn, tz: ZoneInfo) -> list[Any]:
    return [
        _day(check_in.day),
        check_in.bother,
        check_in.caffeine_cups,
        check_in.sleep_hours,
        check_in.stress,
        check_in.hard_exercise,
        check_in.water_litres,
        check_in.new_medicine,
    ]


def _saved_check_row(check: SavedCheck, tz: ZoneInfo) -> list[Any]:
    answers = "; ".join(
        f"{question}: {answer}" for question, answer in saved_answer_rows(check.answers)
    )
    return [
        _local_time(check.created_at, tz),
        level_label(check.level),
        check.ruleset_version,
        answers,
    ]


# Each part of the CSV file: its title, its column headings, its records and their rows.
CSV_PARTS: tuple[tuple[str, tuple[str, ...], Callable, Callable], ...] = (
    (
        "Twitches",
        ("When", "Part of the body", "Side", "How long", "Strength (1 to 5)", "Weakness",
         "Numbness", "Cramp", "Muscle thinning", "Notes"),
        _entries,
        _twitch_row,
    ),
    (
        "Daily check-ins",
        ("Day", "Bother (0 to 10)", "Cups of caffeine", "Hours of sleep the night before",
         "Stress (0 to 5)", "Hard exercise", "Litres of water", "New medicine"),
        _check_ins,
        _check_in_row,
    ),
    (
        "Saved self-checks",
        ("When", "Result", "Rules version", "Answers"),
        _saved_checks,
        _saved_check_row,
    ),
)  # fmt: skip


def export_csv(user: User) -> str:
    """Twitches, daily check-ins and saved self-checks, each a table of its own under its
    title, a blank row between them: times in the person's time zone, choices in words."""
    tz = person_tz(user)
    out = io.StringIO()
    writer = csv.writer(out)
    for number, (title, headings, records, row) in enumerate(CSV_PARTS):
        if number:
            writer.writerow([])
        writer.writerow([title])
        writer.writerow(headings)
        for record in records(user):
            writer.writerow([_cell(value) for value in row(record, tz)])
    return out.getvalue()


# Import ---------------------------------------------------------------------------------
#
# The file (`JournalFile`) and each kind of record in it (`EntryRecord`, `CheckInRecord`,
# `SavedCheckRecord`, `PlanRecord`) are declared with pydantic. Each record is checked on
# its own, so every problem names its record and, where it can be read, its day
# ("Twitch 3, 1 January 2030: the date is in the future."), in plain words.

# A file with more records than this (twitches, check-ins, saved self-checks and self-care
# plans together: a twitch an hour for over 22 years) is refused before any of them is
# read. The export writes a twitch in 242 bytes or more and a check-in in 196, so a journal
# of small records meets this limit before the size limit.
MAX_RECORDS = 200_000
# Before the JSON is parsed, its objects and lists, and its values (an exported twitch
# has 10), are counted from its brackets and commas: a file of millions of tiny records
# (`[{}, {}, ...]`) would otherwise take gigabytes as Python objects before they could be
# counted.
MAX_CONTAINERS = 2 * MAX_RECORDS
MAX_VALUES = 20 * MAX_RECORDS

NOT_JSON = "This is not a journal file: it could not be read as JSON."
NOT_A_JOURNAL = "This is not a Twitch Check journal file. Choose the .json file you exported."
OTHER_VERSION = "This journal file comes from a version of Twitch Check we cannot read."
TOO_MANY_RECORDS = (
    f"This file has too many records: a journal file holds at most {MAX_RECORDS:,} "
    "twitches, daily check-ins, saved self-checks and self-care plans."
)
NOT_A_RECORD = "this should be a record in curly brackets {...}."
ANSWERS = 'the answers should list each question id with its answer, like {"area": "eyelid"}.'
PLAN_CHECK = 'each step ticked should have a "day" date and a "step" id.'
# Text that a database can store: no NUL character (a lone surrogate is refused as well,
# as text pydantic cannot read).
STORABLE = r"^[^\x00]*$"

# Each value of a record in the words a person reads.
LABELS = {
    "occurred_at": "the date and time",
    "region": "the part of the body",
    "side": "the side",
    "duration": "how long it lasted",
    "intensity": "the strength",
    "weakness": "weakness",
    "numbness": "numbness",
    "cramp": "cramp",
    "muscle_thinning": "muscle thinning",
    "notes": "the notes",
    "day": "the day",
    "bother": "bother",
    "caffeine_cups": "cups of caffeine",
    "sleep_hours": "hours of sleep",
    "stress": "stress",
    "hard_exercise": "hard exercise",
    "water_litres": "litres of water",
    "new_medicine": "new medicine",
    "created_at": "the date and time",
    "level": "the result",
    "ruleset_version": "the rules version",
    "answers": "the answers",
    "started_on": "the start day",
    "ended_on": "the end day",
    "checks": "the steps ticked",
}

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
    version: Annotated[int, Field(ge=1, le=FORMAT_VERSION)]  # not 1.0, nor true
    entries: list[Any] = []
    check_ins: list[Any] = []
    saved_checks: list[Any] = []
    plans: list[Any] = []

    @property
    def records(self) -> int:
        return len(self.entries) + len(self.check_ins) + len(self.saved_checks) + len(self.plans)

    @staticmethod
    def problem(error: ErrorDetails) -> str:
        match error["loc"]:
            case ("version",):
                return OTHER_VERSION
            case ("entries" | "check_ins" | "saved_checks" | "plans" as key,):
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


def file_time_zone(data: dict[str, Any], default: ZoneInfo) -> ZoneInfo:
    """The time zone the file was exported in, or `default` if it names none we know."""
    try:
        return ZoneInfo(data.get("time_zone"))
    except (KeyError, ValueError, TypeError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return default


def _words(message: str) -> PydanticCustomError:
    """A problem with a record, in the words a person reads."""
    return PydanticCustomError("journal", "{message}", {"message": message})


def _label(name: Any) -> str:
    return LABELS.get(name, f'"{name}"')


class Record(BaseModel):
    """One record of a journal file, in JSON's own types ("2" is not a number); keys the
    import does not read are ignored. Whatever is wrong with a value is said with what it
    should be (`expected`)."""

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
            return f"{_label(name)} is missing."
        if error["type"] in ("string_pattern_mismatch", "string_unicode"):
            return f"there are characters in {_label(name)} that cannot be saved."
        if name in cls.expected:
            return f"{_label(name)} should be {cls.expected[name]}."
        return f"{_label(name)}: {error['msg']}."

    @classmethod
    def day_of(cls, record: Any, context: dict[str, Any]) -> date | None:
        """The record's day, to name it by, if it can be read."""
        return None


def _read_as(form_field: forms.Field, expected: str) -> PlainValidator:
    """Text read as one of Django's form fields reads it, so an import takes what the
    forms take; a problem is said in the field's words."""

    def read(value: Any, info: ValidationInfo) -> Any:
        name = _label(info.field_name)
        if value is None and not form_field.required:
            return None
        if not isinstance(value, str):
            raise _words(f"{name} should be {expected}.")
        if "\x00" in value or not _encodable(value):
            raise _words(f"there are characters in {name} that cannot be saved.")
        try:
            return form_field.clean(value)
        except forms.ValidationError as error:
            raise _words(f"{name}: {error.messages[0]}") from None

    return PlainValidator(read)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# Twitches and check-ins are checked against their forms' rules and the models' own
# limits, read from the models: a journal of 100,000 entries must import within seconds.


def _field(name: str) -> models.Field:
    model = Entry if name in ENTRY_FIELDS else CheckIn
    return model._meta.get_field(name)


def _limits(name: str) -> tuple[int | None, int | None]:
    model_field = _field(name)
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
    places = _field(name).decimal_places
    # A number may be given as text, like "7.5", as the entry form takes it.
    return Annotated[
        Decimal, Field(strict=False, ge=low, le=high, decimal_places=places, allow_inf_nan=False)
    ]


def _choice(name: str) -> Any:
    return Literal[tuple(value for value, _ in _field(name).choices)]


def _text(name: str) -> Any:
    max_length = _field(name).max_length

    def stripped(value: str) -> str:
        value = value.strip()
        if len(value) > max_length:
            raise _words(f"{_label(name)} should be {max_length:,} characters or fewer.")
        return value

    return Annotated[str, Field(pattern=STORABLE), AfterValidator(stripped)]


def _in_words(name: str) -> str:
    """What a number should be, like "a whole number from 0 to 10, or null"."""
    low, high = _limits(name)
    model_field = _field(name)
    if isinstance(model_field, models.DecimalField):
        kind = f"a number from {low} to {high}, with one decimal place at most"
    else:
        kind = f"a whole number from {low} to {high}"
    return f"{kind}, or null" if model_field.null else kind


TIME_LIKE = "a date and time, like 2026-11-25T08:30:00+00:00"
DAY_LIKE = "a date, like 2026-11-25"


def _read_time(value: Any, tz: ZoneInfo) -> datetime:
    when = datetime.fromisoformat(value)
    if when.tzinfo is None:
        when = when.replace(tzinfo=tz)
    return when.astimezone(UTC)


def _occurred_at(value: Any, info: ValidationInfo) -> datetime:
    """An entry's time, in UTC, within the entry form's limits: `info.context` gives the time
    zone of a time without one, and the latest time allowed."""
    if not isinstance(value, str):
        raise _words(f"the date and time should be {TIME_LIKE}.")
    try:
        when = _read_time(value, info.context["tz"])
    except (ValueError, OverflowError):
        raise _words(f"the date and time should be {TIME_LIKE}, not {value[:40]!r}.") from None
    if when < EARLIEST:
        raise _words("the date should be in the year 2000 or later.")
    if when > info.context["latest"]:
        raise _words("the date is in the future.")
    return when


class EntryRecord(Record):
    """One twitch."""

    expected: ClassVar = {
        "occurred_at": TIME_LIKE,
        "region": "text",
        "side": "text",
        "duration": "text",
        "intensity": _in_words("intensity"),
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
    weakness: bool = False
    numbness: bool = False
    cramp: bool = False
    muscle_thinning: bool = False
    notes: _text("notes") = ""

    @classmethod
    def problem(cls, error: ErrorDetails) -> str:
        if error["type"] == "literal_error" and isinstance(error["input"], str):
            name = error["loc"][0]
            choices = sorted(value for value, _ in _field(name).choices)
            return f"{_label(name)} should be one of: {', '.join(choices)}."
        return super().problem(error)

    @classmethod
    def day_of(cls, record: Any, context: dict[str, Any]) -> date | None:
        try:
            return _read_time(record["occurred_at"], context["tz"]).astimezone(context["tz"]).date()
        except (TypeError, KeyError, ValueError, OverflowError):
            return None


_DAY_FACTOR_WORDS = {
    "caffeine_cups": _in_words("caffeine_cups"),
    "sleep_hours": _in_words("sleep_hours"),
    "stress": _in_words("stress"),
    "hard_exercise": "true, false or null",
    "water_litres": _in_words("water_litres"),
}


class OldEntryRecord(EntryRecord):
    """One twitch of a version 1 file, with the day factors it then carried."""

    expected: ClassVar = {**EntryRecord.expected, **_DAY_FACTOR_WORDS}

    caffeine_cups: _whole("caffeine_cups") | None = None
    sleep_hours: _decimal("sleep_hours") | None = None
    stress: _whole("stress") | None = None
    hard_exercise: bool | None = None
    water_litres: _decimal("water_litres") | None = None


def _check_in_day(value: Any, info: ValidationInfo) -> date:
    if not isinstance(value, str):
        raise _words(f"the day should be {DAY_LIKE}.")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise _words(f"the day should be {DAY_LIKE}, not {value[:40]!r}.") from None
    if not EARLIEST.date() <= day <= info.context["today"]:
        raise _words("the day should be from the year 2000 up to today.")
    return day


class CheckInRecord(Record):
    """One day's check-in: `info.context` gives today."""

    expected: ClassVar = {
        "bother": _in_words("bother"),
        **_DAY_FACTOR_WORDS,
        "new_medicine": "true, false or null",
    }

    day: Annotated[date, PlainValidator(_check_in_day)]
    bother: _whole("bother") | None = None
    caffeine_cups: _whole("caffeine_cups") | None = None
    sleep_hours: _decimal("sleep_hours") | None = None
    stress: _whole("stress") | None = None
    hard_exercise: bool | None = None
    water_litres: _decimal("water_litres") | None = None
    new_medicine: bool | None = None

    @classmethod
    def day_of(cls, record: Any, context: dict[str, Any]) -> date | None:
        try:
            return date.fromisoformat(record["day"])
        except (TypeError, KeyError, ValueError):
            return None


_ENTRY_ROW = attrgetter(*ENTRY_FIELDS)
_CHECK_IN_ROW = attrgetter(*CHECK_IN_FIELDS)
_DAY_FACTORS = attrgetter(*DAY_FACTORS)
# How a version 1 file's factors of one day's twitches make its check-in, as the
# check-ins migration made them: a value nobody gave is left out.
_MERGE = {
    "caffeine_cups": max,
    "sleep_hours": min,
    "stress": max,
    "hard_exercise": max,  # hard exercise if any twitch said so
    "water_litres": max,
}


def _up_to_now(when: datetime) -> datetime:
    try:
        when = when.astimezone(UTC)
    except OverflowError:
        when = None
    if when is None or not EARLIEST <= when <= timezone.now() + CLOCK_SKEW:
        raise _words("the date and time should be from the year 2000 up to now.")
    return when


class SavedCheckRecord(Record):
    """One saved self-check result: its answers, and the level the rules then gave them."""

    created_at: Annotated[
        datetime, _read_as(forms.DateTimeField(), TIME_LIKE), AfterValidator(_up_to_now)
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

    @classmethod
    def day_of(cls, record: Any, context: dict[str, Any]) -> date | None:
        try:
            return _read_time(record["created_at"], UTC).astimezone(context["tz"]).date()
        except (TypeError, KeyError, ValueError, OverflowError):
            return None


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
        raise _words(f"each step ticked should be one of: {', '.join(sorted(steps))}.")
    return value


class PlanCheck(Record):
    """A step of the self-care plan, ticked on a day."""

    day: Annotated[date, PlainValidator(_plan_day)]
    step: Annotated[Any, AfterValidator(_plan_step)] = Field(None, validate_default=True)


class PlanRecord(Record):
    """One self-care plan, with the steps ticked each day: `info.context` gives today."""

    expected: ClassVar = {"checks": 'a list of {"day": ..., "step": ...}'}

    started_on: Annotated[date, _read_as(forms.DateField(), DAY_LIKE)]
    ended_on: Annotated[date | None, _read_as(forms.DateField(required=False), DAY_LIKE)] = None
    checks: list[PlanCheck] = []

    @model_validator(mode="after")
    def _within_the_plan(self, info: ValidationInfo) -> Self:
        today = info.context["today"]
        if not EARLIEST.date() <= self.started_on <= today:
            raise _words("the start day should be from the year 2000 up to today.")
        if self.ended_on and not self.started_on <= self.ended_on <= today:
            raise _words("the end day should be from the start day up to today.")
        last_day = min(plan_end_day(self.started_on), today)
        if not all(self.started_on <= check.day <= last_day for check in self.checks):
            raise _words("each step ticked should be on a day of the plan, up to today.")
        return self

    @classmethod
    def problem(cls, error: ErrorDetails) -> str:
        if error["loc"][:1] == ("checks",) and len(error["loc"]) > 1:
            return error["ctx"]["message"] if error["type"] == "journal" else PLAN_CHECK
        return super().problem(error)

    @classmethod
    def day_of(cls, record: Any, context: dict[str, Any]) -> date | None:
        try:
            return date.fromisoformat(record["started_on"])
        except (TypeError, KeyError, ValueError):
            return None


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)
    error_count: int = 0
    # New entries, each its values in `ENTRY_FIELDS` order.
    entries: list[tuple] = field(default_factory=list)
    # New check-ins, each its values in `CHECK_IN_FIELDS` order.
    check_ins: list[tuple] = field(default_factory=list)
    saved_checks: list[tuple[SavedCheck, datetime]] = field(default_factory=list)
    plans: list[tuple[date, date | None, set[tuple[date, str]]]] = field(default_factory=list)
    # Records already in the journal, and check-ins for days it already has one for.
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
        return len(self.entries) + len(self.check_ins) + len(self.saved_checks) + len(self.plans)


def _valid[R: Record](
    kind: type[R], records: list[Any], name: str, result: ImportResult, **context: Any
) -> Iterator[R]:
    """Each record that is right, as a `kind`; the others go to `result` as errors, named
    `name`, their number in the file and their day, when it can be read."""
    for number, record in enumerate(records, start=1):
        try:
            yield kind.model_validate(record, context=context)
        except PydanticValidationError as error:
            day = kind.day_of(record, context) if isinstance(record, dict) else None
            where = f"{name} {number}" + (f", {_day(day)}" if day else "")
            result.add_error(where, kind.problems(error))


def _key(record: dict[str, Any]) -> str:
    return json.dumps(record, sort_keys=True, default=str)


def _merge_day(days: dict[date, list], day: date, factors: tuple) -> None:
    merged = days.setdefault(day, [None] * len(DAY_FACTORS))
    for index, (name, value) in enumerate(zip(DAY_FACTORS, factors, strict=True)):
        if value is not None:
            old = merged[index]
            merged[index] = value if old is None else _MERGE[name](old, value)


def checked_rows(
    data: dict[str, Any],
    *,
    tz: ZoneInfo,
    latest: datetime,
    result: ImportResult,
    days: dict[date, list] | None = None,
) -> Iterator[tuple]:
    """Each valid entry record as its values in `ENTRY_FIELDS` order; the others go to
    `result` as errors. The import and `assess --journal` both read entries through this.

    A version 1 file's day factors are merged into `days`, one list of `DAY_FACTORS`
    values per local day in the file's time zone, for `checked_check_ins`."""
    old = data.get("version") == 1
    kind = OldEntryRecord if old else EntryRecord
    file_tz = file_time_zone(data, tz)
    for entry in _valid(kind, data.get("entries", []), "Twitch", result, tz=tz, latest=latest):
        if old and days is not None and any(v is not None for v in _DAY_FACTORS(entry)):
            _merge_day(days, entry.occurred_at.astimezone(file_tz).date(), _DAY_FACTORS(entry))
        yield _ENTRY_ROW(entry)


def checked_check_ins(
    data: dict[str, Any], *, tz: ZoneInfo, today: date, result: ImportResult, days: dict
) -> Iterator[tuple]:
    """Each valid check-in as its values in `CHECK_IN_FIELDS` order; the others go to
    `result` as errors. A version 1 file's come from the day factors of its twitches,
    merged into `days` by `checked_rows`, oldest first, with bother and new medicine empty."""
    if data.get("version") == 1:
        for day in sorted(days):
            values = {"day": day, **dict(zip(DAY_FACTORS, days[day], strict=True))}
            yield tuple(values.get(name) for name in CHECK_IN_FIELDS)
        return
    records = data.get("check_ins", [])
    for check_in in _valid(CheckInRecord, records, "Check-in", result, tz=tz, today=today):
        yield _CHECK_IN_ROW(check_in)


def check_import(user: User, data: dict[str, Any]) -> ImportResult:
    """Check every record; collect what is new. Saves nothing."""
    result = ImportResult()
    tz, latest, today = person_tz(user), timezone.now() + CLOCK_SKEW, person_today(user)
    have = set(Entry.objects.for_user(user).values_list(*ENTRY_FIELDS))
    days: dict[date, list] = {}
    for row in checked_rows(data, tz=tz, latest=latest, result=result, days=days):
        if row in have:
            result.skipped += 1
            continue
        have.add(row)
        result.entries.append(row)

    # A day keeps the check-in the journal already has for it.
    have_days = set(CheckIn.objects.for_user(user).values_list("day", flat=True))
    for row in checked_check_ins(data, tz=tz, today=today, result=result, days=days):
        if row[0] in have_days:
            result.skipped += 1
            continue
        have_days.add(row[0])
        result.check_ins.append(row)

    have = {_key(saved_check_record(c)) for c in SavedCheck.objects.for_user(user)}
    records = data.get("saved_checks", [])
    for record in _valid(SavedCheckRecord, records, "Saved self-check", result, tz=tz):
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
    plans = data.get("plans", [])
    for plan in _valid(PlanRecord, plans, "Self-care plan", result, tz=tz, today=today):
        if plan.started_on in have_plans:
            result.skipped += 1
            continue
        have_plans.add(plan.started_on)
        checks = {(check.day, check.step) for check in plan.checks}
        result.plans.append((plan.started_on, plan.ended_on, checks))
    return result
