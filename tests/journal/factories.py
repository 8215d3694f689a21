"""factory-boy factories for the journal: entries, check-ins, saved self-check results and
imports."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from journal.models import CheckIn, Duration, Entry, JournalImport, Region, SavedCheck, Side
from journal.timezones import person_today
from tests.accounts.factories import UserFactory
from tests.triage.answer_sets import EYELID


class JournalRecordFactory(factory.django.DjangoModelFactory):
    """Saves a record as the journal's forms and models do: as a change to the person's
    journal."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        record = super()._create(model_class, *args, **kwargs)
        return record


class EntryFactory(JournalRecordFactory):
    class Meta:
        model = Entry

    user = factory.SubFactory(UserFactory)
    occurred_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    region = Region.CALF
    side = Side.LEFT
    duration = Duration.SECONDS
    intensity = 2
    notes = ""


class CheckInFactory(JournalRecordFactory):
    """A day's check-in, today in the person's time zone unless a `day` is given."""

    class Meta:
        model = CheckIn

    user = factory.SubFactory(UserFactory)
    day = factory.LazyAttribute(lambda check_in: person_today(check_in.user))
    bother = 3
    caffeine_cups = 2
    sleep_hours = Decimal("7.5")
    stress = 2
    hard_exercise = False
    water_litres = Decimal("1.5")
    new_medicine = False


class SavedCheckFactory(JournalRecordFactory):
    class Meta:
        model = SavedCheck

    user = factory.SubFactory(UserFactory)
    answers = factory.LazyFunction(lambda: dict(EYELID))
    level = "self_care"
    ruleset_version = "test"


class JournalImportFactory(factory.django.DjangoModelFactory):
    """An uploaded journal file, checked and waiting for the worker."""

    class Meta:
        model = JournalImport

    user = factory.SubFactory(UserFactory)
    data = factory.LazyFunction(
        lambda: {"format": "twitch-check-journal", "version": 1, "entries": []}
    )
    to_add = 0
