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

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from journal.models import ENTRY_FIELDS, Entry, Plan, SavedCheck, User
from journal.timezones import person_tz

FORMAT = "twitch-check-journal"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 10 * 1024 * 1024
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
    if data.get("version") != FORMAT_VERSION:
        raise forms.ValidationError(
            "This journal file comes from a version of Twitch Check we cannot read."
        )
    for key in ("entries", "saved_checks", "plans"):
        if not isinstance(data.get(key, []), list):
            raise forms.ValidationError(f'In this file, "{key}" should be a list.')
    return data


# Each record of an import is checked with a form of its own; only the importer uses them.
class EntryRecordForm(forms.ModelForm):
    class Meta:
        model = Entry
        fields = ENTRY_FIELDS


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


class PlanRecordForm(forms.Form):
    started_on = forms.DateField()


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


def _plan_checks(raw: list) -> set[tuple[date, str]] | None:
    checks = set()
    for check in raw:
        if not isinstance(check, dict) or not isinstance(check.get("day"), str):
            return None
        step = check.get("step")
        if not isinstance(step, str) or not CODE.fullmatch(step):
            return None
        try:
            checks.add((forms.DateField().clean(check["day"]), step))
        except forms.ValidationError:
            return None
    return checks


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)
    error_count: int = 0
    entries: list[Entry] = field(default_factory=list)
    saved_checks: list[tuple[SavedCheck, datetime]] = field(default_factory=list)
    plans: list[tuple[date, set[tuple[date, str]]]] = field(default_factory=list)
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


def _entry_form_data(record: dict[str, Any]) -> dict[str, Any]:
    defaults = {"intensity": 2, "notes": "", "weakness": False, "numbness": False}
    defaults |= {"cramp": False, "muscle_thinning": False}
    data = {**defaults, **{name: record[name] for name in ENTRY_FIELDS if name in record}}
    # Form fields read strings; JSON null means "not recorded".
    return {name: "" if value is None else value for name, value in data.items()}


def checked_entries(data: dict[str, Any], result: ImportResult) -> Iterator[Entry]:
    """Each valid entry record as an unsaved Entry; the others go to `result` as errors."""
    for number, record in enumerate(data.get("entries", []), start=1):
        where = f"Twitch {number}"
        errors = _type_errors(record, ENTRY_TYPES, REQUIRED_ENTRY_FIELDS)
        if errors:
            result.add_error(where, errors)
            continue
        form = EntryRecordForm(_entry_form_data(record))
        if not form.is_valid():
            result.add_error(where, _form_errors(form))
            continue
        yield form.save(commit=False)


def check_import(user: User, data: dict[str, Any]) -> ImportResult:
    """Check every record; collect what is new. Saves nothing."""
    result = ImportResult()
    existing = Entry.objects.for_user(user).iterator(chunk_size=2000)
    have = {_key(entry_record(entry)) for entry in existing}
    for entry in checked_entries(data, result):
        entry.user = user
        key = _key(entry_record(entry))
        if key in have:
            result.skipped += 1
            continue
        have.add(key)
        result.entries.append(entry)

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

    have_plans = set(Plan.objects.for_user(user).values_list("started_on", flat=True))
    for number, record in enumerate(data.get("plans", []), start=1):
        where = f"Self-care plan {number}"
        errors = _type_errors(record, PLAN_TYPES, ("started_on",))
        if errors:
            result.add_error(where, errors)
            continue
        form = PlanRecordForm(record)
        checks = _plan_checks(record.get("checks", []))
        if not form.is_valid() or checks is None:
            messages = _form_errors(form)
            if checks is None:
                messages.append('each check should have a "day" date and a "step" id.')
            result.add_error(where, messages)
            continue
        started_on = form.cleaned_data["started_on"]
        if started_on in have_plans:
            result.skipped += 1
            continue
        have_plans.add(started_on)
        result.plans.append((started_on, checks))
    return result
