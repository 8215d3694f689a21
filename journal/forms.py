"""Every form of the journal's pages: they check and tidy input, and save what they hold."""

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout
from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict
from django.utils import timezone

from config.forms import DatePartsField
from journal.exports import MAX_FILE_BYTES, read_journal_file
from journal.models import (
    CHECK_IN_FIELDS,
    CLOCK_SKEW,
    EARLIEST,
    ENTRY_FIELDS,
    CheckIn,
    Duration,
    Entry,
    Plan,
    Region,
    Side,
    Trigger,
)
from journal.plan import plan_end, plan_steps
from journal.timezones import day_start

REPORT_MAX_DAYS = 366 * 3
INLINE_RADIOS = "govuk/layout/radioselect_inline.html"
# The days a filter or the report may name: a day either side of them, in any time zone,
# is still a date and time Python and the database can hold.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9998, 12, 31)


def check_days_in_range(form: forms.Form, *names: str) -> None:
    for name in names:
        day = form.cleaned_data.get(name)
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            form.add_error(name, f"Enter a date between {FIRST_DAY.year} and {LAST_DAY.year}.")


YES_NO_UNKNOWN = [("", "Not recorded"), ("True", "Yes"), ("False", "No")]


def _number(what: str, low: int, high: int, unit: str, **kwargs) -> dict:
    message = f"Enter {what} from {low} to {high}{unit}."
    return {
        "min_value": low,
        "max_value": high,
        "required": False,
        "error_messages": {
            "invalid": message,
            "min_value": message,
            "max_value": message,
            "max_digits": message,
            "max_whole_digits": message,
            "max_decimal_places": f"Enter {what} to one decimal place at most, like 7.5.",
        },
        **kwargs,
    }


class EntryForm(forms.ModelForm):
    occurred_at = DatePartsField(
        label="When",
        what="the date of the twitch",
        with_time=True,
        past_only=True,
        help_text="For example, 25 11 2026 and 08:30, in your local time. "
        "Leave it as it is for a twitch just now.",
        error_messages={"required": "Enter when the twitch happened."},
    )
    region = forms.ChoiceField(
        label="Where",
        choices=Region.choices,
        error_messages={
            "required": "Choose where the twitch was.",
            "invalid_choice": "Choose a body area from the list.",
        },
    )
    side = forms.ChoiceField(
        label="Which side",
        choices=Side.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose which side.",
            "invalid_choice": "Choose which side from the list.",
        },
    )
    duration = forms.ChoiceField(
        label="How long did it last",
        choices=Duration.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how long it lasted.",
            "invalid_choice": "Choose how long it lasted from the list.",
        },
    )
    intensity = forms.TypedChoiceField(
        label="How strong (1 barely there, 5 very strong)",
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how strong it was, from 1 to 5.",
            "invalid_choice": "Choose how strong it was, from 1 to 5.",
        },
    )
    notes = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Anything else worth remembering. At most 2,000 characters.",
        error_messages={"max_length": "Keep notes to 2,000 characters or fewer."},
    )

    class Meta:
        model = Entry
        fields = ENTRY_FIELDS
        labels = {
            "weakness": "Weakness in that area",
            "numbness": "Numbness (an area has lost feeling)",
            "cramp": "Cramp",
            "muscle_thinning": "The muscle looks thinner than before",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and "occurred_at" not in self.initial:
            self.initial["occurred_at"] = timezone.localtime().replace(second=0, microsecond=0)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                "The twitch",
                "occurred_at",
                "region",
                Field("side", template=INLINE_RADIOS),
                "duration",
                Field("intensity", template=INLINE_RADIOS),
            ),
            Fieldset(
                "Did anything come with it?", "weakness", "numbness", "cramp", "muscle_thinning"
            ),
            "notes",
        )

    def clean_occurred_at(self) -> datetime:
        when = self.cleaned_data["occurred_at"]
        if when > timezone.now() + CLOCK_SKEW:
            raise forms.ValidationError("This time is in the future. Enter a time up to now.")
        if when < EARLIEST:
            raise forms.ValidationError("Enter a date in the year 2000 or later.")
        return when


class CheckInForm(forms.ModelForm):
    """One day's check-in: every answer may be left out, and a second one for the same day
    changes the first."""

    bother = forms.TypedChoiceField(
        label="How much did the twitching bother you? (0 not at all, 10 very much)",
        choices=[("", "Not recorded"), *((n, str(n)) for n in range(11))],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose how much it bothered you, from 0 to 10."},
    )
    caffeine_cups = forms.IntegerField(
        **_number("cups of caffeine", 0, 30, "", label="Cups of coffee, tea or energy drinks")
    )
    sleep_hours = forms.DecimalField(
        **_number(
            "hours of sleep",
            0,
            24,
            " hours",
            label="Hours slept the night before",
            max_digits=3,
            decimal_places=1,
            widget=forms.NumberInput(attrs={"step": "0.5"}),
        )
    )
    stress = forms.TypedChoiceField(
        label="Stress (0 none, 5 very high)",
        choices=[("", "Not recorded"), *((n, str(n)) for n in range(6))],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose a stress level from 0 to 5."},
    )
    hard_exercise = forms.NullBooleanField(
        label="Hard exercise",
        required=False,
        widget=forms.RadioSelect(choices=YES_NO_UNKNOWN),
    )
    water_litres = forms.DecimalField(
        **_number(
            "litres of water",
            0,
            15,
            " litres",
            label="Litres of water drunk",
            max_digits=3,
            decimal_places=1,
            widget=forms.NumberInput(attrs={"step": "0.1"}),
        )
    )
    new_medicine = forms.NullBooleanField(
        label="Started a new medicine",
        required=False,
        widget=forms.RadioSelect(choices=YES_NO_UNKNOWN),
    )

    class Meta:
        model = CheckIn
        fields = tuple(name for name in CHECK_IN_FIELDS if name != "day")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field("bother", template=INLINE_RADIOS),
            Fieldset(
                "Your day",
                "caffeine_cups",
                "sleep_hours",
                Field("stress", template=INLINE_RADIOS),
                Field("hard_exercise", template=INLINE_RADIOS),
                "water_litres",
                Field("new_medicine", template=INLINE_RADIOS),
            ),
        )


class QuickAddForm(forms.ModelForm):
    """A twitch now: the place and side, with everything else left for later."""

    region = forms.ChoiceField(
        label="Where", choices=Region.choices, error_messages={"invalid_choice": "Choose an area."}
    )
    side = forms.ChoiceField(
        label="Side", choices=Side.choices, error_messages={"invalid_choice": "Choose a side."}
    )

    class Meta:
        model = Entry
        fields = ("region", "side")

    def save(self, commit: bool = True) -> Entry:
        self.instance.occurred_at = timezone.now()
        self.instance.duration = Duration.SECONDS
        return super().save(commit)


class FilterForm(forms.Form):
    """The timeline's filters, from the query string. A bad value is reported, never a 500."""

    region = forms.ChoiceField(
        label="Area",
        required=False,
        choices=[("", "All areas"), *Region.choices],
        error_messages={"invalid_choice": "Choose an area from the list."},
    )
    trigger = forms.ChoiceField(
        label="Trigger or sign",
        required=False,
        choices=[("", "Any"), *Trigger.choices],
        error_messages={"invalid_choice": "Choose a trigger from the list."},
    )
    date_from = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a date, like 2026-11-25."},
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a date, like 2026-11-25."},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The timeline lists the filters' problems itself, in the part htmx swaps.
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.form_method = "get"
        self.helper.form_show_errors = False

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        check_days_in_range(self, "date_from", "date_to")
        if start and end and start > end and not self.errors:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return cleaned

    def filters(self, tz: ZoneInfo) -> dict:
        """Keyword arguments for `EntryQuerySet.filtered`: whole local days, valid fields only."""
        data = self.cleaned_data if self.is_bound else {}
        start = None if "date_from" in self.errors else data.get("date_from")
        end = None if "date_to" in self.errors else data.get("date_to")
        return {
            "region": data.get("region") or "",
            "trigger": data.get("trigger") or "",
            "since": day_start(start, tz) if start else None,
            "before": day_start(end + timedelta(days=1), tz) if end else None,
            "tz": tz,
        }

    @property
    def is_filtering(self) -> bool:
        return self.is_bound and any(self.cleaned_data.get(name) for name in self.fields)


class CheckboxesWithHints(forms.CheckboxSelectMultiple):
    """Checkboxes with a line of hint under each choice: `hints` maps a value to its hint."""

    def __init__(self, *args, hints: dict[str, str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.hints = hints or {}

    def create_option(self, name, value, *args, **kwargs) -> dict:
        option = super().create_option(name, value, *args, **kwargs)
        option["hint"] = self.hints.get(str(value), "")
        return option


class DayChecksForm(forms.Form):
    day = forms.DateField(widget=forms.HiddenInput)
    steps = forms.MultipleChoiceField(
        required=False,
        widget=CheckboxesWithHints,
        label="Which steps did you do on this day?",
    )

    def __init__(self, *args, plan: Plan, today: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.plan, self.today = plan, today
        steps = plan_steps()
        self.fields["steps"].choices = [(step.id, step.title) for step in steps]
        self.fields["steps"].widget.hints = {step.id: step.summary for step in steps}

    def clean_day(self) -> date:
        day = self.cleaned_data["day"]
        if not self.plan.started_on <= day <= min(plan_end(self.plan), self.today):
            raise forms.ValidationError("Choose a day of your plan, up to today.")
        return day

    def save(self) -> None:
        self.plan.set_steps(self.cleaned_data["day"], self.cleaned_data["steps"])


class ReportRangeForm(forms.Form):
    """The report's dates: `from` and `to` in the address, so the page can be bookmarked
    (as GOV.UK date inputs' parts, or as YYYY-MM-DD, as in the PDF's link)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from"] = DatePartsField(label="From", what="the first day of the report")
        self.fields["to"] = DatePartsField(label="To", what="the last day of the report")

    @classmethod
    def asked(cls, query: QueryDict) -> bool:
        """Whether the address names any of the report's dates."""
        form = cls()
        return any(
            not form.fields[name].widget.value_omitted_from_data(query, {}, name)
            for name in ("from", "to")
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        check_days_in_range(self, "from", "to")
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and not self.errors:
            if start > end:
                self._wrong_dates("to", "The end date must be on or after the start date.")
            elif (end - start).days >= REPORT_MAX_DAYS:
                self._wrong_dates("from", "Choose dates no more than 3 years apart.")
        return cleaned

    def _wrong_dates(self, name: str, message: str) -> None:
        self.fields[name].widget.wrong = {"day", "month", "year"}
        self.add_error(name, message)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Your journal file",
        help_text="The .json file you exported from Twitch Check.",
        widget=forms.FileInput(attrs={"accept": ".json,application/json"}),
        error_messages={
            "required": "Choose the .json file you exported.",
            "empty": "This file is empty. Choose the .json file you exported.",
        },
    )

    def clean_file(self) -> dict[str, Any]:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"This file is too big. A journal file is under {MAX_FILE_BYTES // 2**20} MB."
            )
        return read_journal_file(upload.read())
