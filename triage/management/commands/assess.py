"""`manage.py assess`: the self-check's verdict on answers, or the journal's on a journal file.

The self-check never imports the journal. `--journal` asks whichever installed app offers
`assess_journal(raw, today)` on its app config (the journal app does) to read the file, so
the command prints the verdict the journal pages would show, in the same JSON.
"""

import json
import reprlib
import sys
from collections.abc import Callable
from datetime import date
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser

from triage.engine import assess, get_ruleset

JournalReader = Callable[[bytes, date | None], dict[str, Any]]


def journal_reader() -> JournalReader | None:
    for config in apps.get_app_configs():
        reader = getattr(config, "assess_journal", None)
        if callable(reader):
            return reader
    return None


class Command(BaseCommand):
    help = (
        "Assess answers given as a JSON object keyed by question id (from FILE, or - for "
        "standard input) and print the result as JSON. --schema prints the questions. "
        "--journal FILE assesses an exported journal file (- for standard input) instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", default=None, help="JSON file, or - for stdin")
        parser.add_argument(
            "--schema", action="store_true", help="print every question and the level ids"
        )
        parser.add_argument(
            "--journal",
            metavar="FILE",
            help="an exported journal (.json) file, or - for stdin: print the journal's verdict",
        )
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help="with --journal: the day to assess as of (default: today in the file's time zone)",
        )

    def handle(
        self,
        *args,
        file: str | None,
        schema: bool,
        journal: str | None,
        today: str | None,
        **options,
    ) -> None:
        if schema:
            self.print_schema()
            return
        if journal is not None:
            if file is not None:
                raise CommandError("Give either answers or --journal FILE, not both.", returncode=2)
            self.print_json(self.assess_journal(journal, today))
            return
        if today is not None:
            raise CommandError("--today only goes with --journal.", returncode=2)
        self.print_json(assess(self.read_answers(file or "-")).as_dict())

    def print_schema(self) -> None:
        ruleset = get_ruleset()
        self.print_json(
            {
                "ruleset_version": ruleset.version,
                "questions": [
                    {
                        "id": question.id,
                        "type": question.kind,
                        "text": question.text,
                        "values": list(question.values),
                        "red_flag": question.red_flag,
                    }
                    for question in ruleset.questions
                ],
                "levels": [level.id for level in ruleset.levels],
            }
        )

    def assess_journal(self, file: str, today: str | None) -> dict[str, Any]:
        reader = journal_reader()
        if reader is None:
            raise CommandError("No installed app reads journal files.", returncode=2)
        day = None
        if today is not None:
            try:
                day = date.fromisoformat(today)
            except ValueError:
                day = None
            # The journal reads up to the end of `today`: the calendar's last day has no end.
            if day is None or day == date.max:
                raise CommandError(
                    f"--today should be a date like 2026-11-28, not {today!r}.", returncode=2
                )
        try:
            return reader(self.read_bytes(file), day)
        except ValueError as error:
            raise CommandError(str(error), returncode=2) from None

    def read_bytes(self, file: str) -> bytes:
        try:
            if file == "-":
                return sys.stdin.buffer.read()
            with open(file, "rb") as handle:
                return handle.read()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.", returncode=2) from error

    def read_answers(self, file: str) -> dict[str, str]:
        raw = self.read_bytes(file)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            message = f"Cannot read {file}: it is not UTF-8 text."
            raise CommandError(message, returncode=2) from error
        try:
            given = json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(f"The input is not valid JSON: {error}.", returncode=2) from error
        except RecursionError:
            raise CommandError("The input is nested too deeply to read.", returncode=2) from None
        except ValueError as error:  # e.g. an integer of more digits than Python will read
            raise CommandError(f"The input cannot be read: {error}.", returncode=2) from None
        if not isinstance(given, dict):
            raise CommandError(
                "The input must be a JSON object keyed by question id.", returncode=2
            )
        ruleset = get_ruleset()
        answers = {}
        for question_id, value in given.items():
            try:
                answers[question_id] = ruleset.validate_answer(question_id, value)
            except KeyError:
                message = f"Unknown question id: {reprlib.repr(question_id)}."
                raise CommandError(message, returncode=2) from None
            except ValueError:
                allowed = ", ".join(ruleset.question(question_id).values)
                raise CommandError(
                    f"Invalid value {reprlib.repr(value)} for {question_id!r} "
                    f"(allowed: {allowed}).",
                    returncode=2,
                ) from None
        return answers

    def print_json(self, data: dict) -> None:
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
