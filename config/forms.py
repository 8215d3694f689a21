"""GOV.UK's date input: a day, month and year box, and optionally a time box, as one field.

The crispy GOV.UK pack draws it (templates/govuk/layout/date_input.html) as a fieldset
with the boxes in it; a problem names what is wrong and marks only the boxes at fault.
A date sent as one value, YYYY-MM-DD (with THH:MM for a time), as in a bookmarked
address or an older page, is read too.
"""

import re
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone

PARTS = {
    "day": ("Day", 2),
    "month": ("Month", 2),
    "year": ("Year", 4),
    "time": ("Time", 5),
}
ONE_VALUE = re.compile(r"\s*(\d{1,4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}:\d{2}))?(?::\d{2})?\s*")
CLOCK = re.compile(r"(\d{1,2})(?:\s*[:.\s]?\s*(\d{2}))?\s*([ap]\.?m\.?)?", re.IGNORECASE)
NUMBER = re.compile(r"\d+")
YEAR = re.compile(r"\d{4}")


class DateParts(forms.MultiWidget):
    """Text boxes for the day, month and year (and the time, `with_time=True`)."""

    def __init__(self, *, with_time: bool = False) -> None:
        names = ["day", "month", "year", *(["time"] if with_time else [])]
        super().__init__({name: forms.TextInput() for name in names})
        self.names = names
        self.wrong: set[str] = set()

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        for part, widget in zip(self.names, context["widget"]["subwidgets"], strict=True):
            label, width = PARTS[part]
            widget.update(label=label, part=part, width=width, wrong=part in self.wrong)
        return context

    def id_for_label(self, id_: str) -> str:
        """The first box at fault, or the first box: where an error summary's link goes."""
        first = next((i for i, part in enumerate(self.names) if part in self.wrong), 0)
        return f"{id_}_{first}" if id_ else ""

    def decompress(self, value: date | datetime | None) -> list[str | None]:
        if value is None:
            return [None] * len(self.names)
        if isinstance(value, datetime):
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            return [str(local.day), str(local.month), str(local.year), f"{local:%H:%M}"]
        return [str(value.day), str(value.month), str(value.year)]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str | None]:
        if not super().value_omitted_from_data(data, files, name) or name not in data:
            return super().value_from_datadict(data, files, name)
        one = ONE_VALUE.fullmatch(data.get(name) or "")
        if one is None:
            return ["", "", data.get(name) or "", *([""] if "time" in self.names else [])]
        year, month, day, clock = one.groups()
        return [day, month, year, *([clock or ""] if "time" in self.names else [])]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return super().value_omitted_from_data(data, files, name) and name not in data


class DatePartsField(forms.MultiValueField):
    """A date from GOV.UK's date input; `with_time=True` makes it an aware datetime in the
    current time zone. `what` names the date in messages ("the first day of the report");
    `past_only` refuses a day after today."""

    def __init__(
        self,
        *,
        what: str = "the date",
        with_time: bool = False,
        past_only: bool = False,
        **kwargs: Any,
    ) -> None:
        self.what, self.with_time, self.past_only = what, with_time, past_only
        names = ["day", "month", "year", *(["time"] if with_time else [])]
        what_cap = what[:1].upper() + what[1:]
        messages = {
            "required": f"Enter {what}.",
            "incomplete": f"{what_cap} must include a {{missing}}.",
            "invalid": f"{what_cap} must be a real date.",
            "year": "The year must include 4 numbers, like 2026.",
            "future": f"{what_cap} must be today or in the past.",
            "time": "Enter the time as hours and minutes, like 08:30 or 14:05.",
            **kwargs.pop("error_messages", {}),
        }
        super().__init__(
            fields=[forms.CharField(required=False) for _ in names],
            widget=DateParts(with_time=with_time),
            require_all_fields=False,
            error_messages=messages,
            **kwargs,
        )

    def _wrong(self, boxes: set[str], message: str, **params: str) -> forms.ValidationError:
        self.widget.wrong = boxes
        return forms.ValidationError(self.error_messages[message].format(**params))

    def clean(self, value: list[str | None] | None) -> date | datetime | None:
        self.widget.wrong = set()
        typed = [(part or "").strip() for part in value or []]
        given = dict(zip(self.widget.names, typed, strict=False))
        if not any(given.values()):
            if self.required:
                self.widget.wrong = set(self.widget.names)
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None
        missing = [name for name in self.widget.names if not given.get(name)]
        if missing:
            words = [name for name in missing if name != "time"]
            if not words:
                raise self._wrong({"time"}, "time")
            named = " and ".join(words) if len(words) < 3 else "day, month and year"
            raise self._wrong(set(missing), "incomplete", missing=named)
        numbers = {name: given[name] for name in ("day", "month", "year")}
        not_numbers = {name for name, text in numbers.items() if not NUMBER.fullmatch(text)}
        if not_numbers:
            raise self._wrong(not_numbers, "invalid")
        if not YEAR.fullmatch(numbers["year"]):
            raise self._wrong({"year"}, "year")
        try:
            day = date(int(numbers["year"]), int(numbers["month"]), int(numbers["day"]))
        except ValueError:
            raise self._wrong(self._impossible(numbers), "invalid") from None
        if self.past_only and day > timezone.localdate():
            raise self._wrong({"day", "month", "year"}, "future")
        if not self.with_time:
            return day
        clock = self._time(given["time"])
        if clock is None:
            raise self._wrong({"time"}, "time")
        return timezone.make_aware(datetime.combine(day, clock))

    @staticmethod
    def _impossible(numbers: dict[str, str]) -> set[str]:
        """The boxes to mark for a date that does not exist: the month if it is out of
        range, otherwise the day."""
        return {"month"} if not 1 <= int(numbers["month"]) <= 12 else {"day"}

    @staticmethod
    def _time(text: str) -> time | None:
        clock = CLOCK.fullmatch(text.strip())
        if clock is None:
            return None
        hour, half = int(clock[1]), (clock[3] or "").lower()
        if clock[2] is None and not half:
            return None
        minute = int(clock[2] or 0)
        if half:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if half.startswith("p") else 0)
        if hour > 23 or minute > 59:
            return None
        return time(hour, minute)
