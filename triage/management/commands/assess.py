import json
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from triage.engine import assess, get_ruleset


class Command(BaseCommand):
    help = (
        "Assess answers given as a JSON object keyed by question id (from FILE, or - for "
        "standard input) and print the result as JSON. --schema prints the questions."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", default="-", help="JSON file, or - for stdin")
        parser.add_argument(
            "--schema", action="store_true", help="print every question and the level ids"
        )

    def handle(self, *args, file: str, schema: bool, **options) -> None:
        ruleset = get_ruleset()
        if schema:
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
            return
        answers = {}
        for question_id, value in self.read_answers(file).items():
            try:
                answers[question_id] = ruleset.validate_answer(question_id, value)
            except KeyError:
                raise CommandError(f"Unknown question id: {question_id!r}.", returncode=2) from None
            except ValueError:
                allowed = ", ".join(ruleset.question(question_id).values)
                raise CommandError(
                    f"Invalid value {value!r} for {question_id!r} (allowed: {allowed}).",
                    returncode=2,
                ) from None
        self.print_json(assess(answers).as_dict())

    def read_answers(self, file: str) -> dict[str, str]:
        try:
            if file == "-":
                text = sys.stdin.read()
            else:
                with open(file, encoding="utf-8") as handle:
                    text = handle.read()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.", returncode=2) from error
        except UnicodeDecodeError as error:
            message = f"Cannot read {file}: it is not UTF-8 text."
            raise CommandError(message, returncode=2) from error
        try:
            answers = json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(f"The input is not valid JSON: {error}.", returncode=2) from error
        if not isinstance(answers, dict):
            raise CommandError(
                "The input must be a JSON object keyed by question id.", returncode=2
            )
        return answers

    def print_json(self, data: dict) -> None:
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
