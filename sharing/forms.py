from datetime import date

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.dateparse import parse_date

from accounts.models import User
from journal.forms import FIRST_DAY, LAST_DAY, REPORT_MAX_DAYS
from journal.report import default_dates
from sharing.models import ShareLink

DAYS_MESSAGE = "Enter a number of days from 1 to 30, like 7."


def _day(value: str) -> date | None:
    try:
        return parse_date(value or "")
    except ValueError:  # well formed, but no such day
        return None


class ShareLinkForm(forms.Form):
    """A new link: how long it works for, and the report's dates (from the report page,
    or its usual last 28 days)."""

    days = forms.IntegerField(
        label="How many days should the link work for?",
        help_text="From 1 to 30 days. You can stop it sooner.",
        min_value=1,
        max_value=30,
        initial=7,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input--width-2", "autocomplete": "off"}
        ),
        error_messages={
            "required": DAYS_MESSAGE,
            "invalid": DAYS_MESSAGE,
            "min_value": DAYS_MESSAGE,
            "max_value": DAYS_MESSAGE,
        },
    )
    report_from = forms.CharField(required=False, widget=forms.HiddenInput)
    report_to = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def dates(self) -> tuple[date, date]:
        """The dates the form names, or the report's usual ones if they are missing or wrong."""
        source = self.data if self.is_bound else self.initial
        start, end = _day(source.get("report_from")), _day(source.get("report_to"))
        within = start and end and FIRST_DAY <= start <= end <= LAST_DAY
        if within and (end - start).days < REPORT_MAX_DAYS:
            return start, end
        default = default_dates(self.user)
        return default["from"], default["to"]

    def save(self) -> tuple[ShareLink, str]:
        start, end = self.dates()
        days = self.cleaned_data["days"]
        return ShareLink.objects.make(self.user, days=days, start=start, end=end)
