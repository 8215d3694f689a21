"""`manage.py ruleset-diff OLD NEW`: every answer path whose level a ruleset change moves.

CI runs it against the previous version kept in `triage/engine/history/`, so each change
to the rules is reviewed as the list of outcomes it changes.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from triage.engine import RulesetError, load_ruleset
from triage.engine.paths import complete_answer_sets, ruleset_diff


class Command(BaseCommand):
    help = (
        "Walk every answer path through two ruleset files and list each path whose level "
        "differs, with both levels ('(not a path)' where one ruleset has no such path)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("old", help="the earlier ruleset (.toml)")
        parser.add_argument("new", help="the later ruleset (.toml)")

    def handle(self, *args, old: str, new: str, **options) -> None:
        try:
            # Either file may be a version from before fields the site needs now; the walk
            # reads only levels.
            before, after = load_ruleset(old, strict=False), load_ruleset(new, strict=False)
        except RulesetError as error:
            raise CommandError(str(error), returncode=2) from None
        changes = ruleset_diff(before, after)
        self.stdout.write(
            f"Ruleset {before.version} -> {after.version}: "
            f"{len(complete_answer_sets(before))} answer paths before, "
            f"{len(complete_answer_sets(after))} after; {len(changes)} change level."
        )
        rank = {level.id: level.rank for level in (*before.levels, *after.levels)}
        moved = [c for c in changes if c.old and c.new]
        up = sum(rank[c.new] > rank[c.old] for c in moved)
        self.stdout.write(
            f"Of these, {up} go up, {len(moved) - up} go down, "
            f"{sum(c.old is None for c in changes)} are new "
            f"and {sum(c.new is None for c in changes)} are gone."
        )
        for change in changes:
            self.stdout.write(str(change))
