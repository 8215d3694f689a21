"""The account pages' forms: they check and tidy input, and save only the account."""

from functools import cache
from zoneinfo import available_timezones

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    BaseUserCreationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)

from accounts.lockout import pause_length, tries_left
from accounts.models import User

DEFAULT_TIME_ZONE = "Europe/London"
# Where most people using the site live, listed before the other 580 or so.
COMMON_TIME_ZONES = (
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Amsterdam",
    "Europe/Stockholm",
    "Europe/Warsaw",
    "Europe/Athens",
    "America/St_Johns",
    "America/Halifax",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Australia/Perth",
    "Australia/Adelaide",
    "Australia/Brisbane",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Africa/Johannesburg",
    "UTC",
)


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    names = sorted(available_timezones() - {"localtime", "Factory"})
    return [(name, name.replace("_", " ")) for name in names]


def grouped_time_zone_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The common time zones first, then every other, so a short scroll finds most."""
    names = dict(time_zone_choices())
    common = [(name, names[name]) for name in COMMON_TIME_ZONES if name in names]
    others = [(name, label) for name, label in names.items() if name not in COMMON_TIME_ZONES]
    return [("Common time zones", common), ("Every other time zone", others)]


# The sign-up's short list, by the places people know them by; "Other time zone" reveals
# every zone (`other_time_zone`).
FRIENDLY_TIME_ZONES = (
    ("Europe/London", "UK (London)"),
    ("Europe/Dublin", "Ireland (Dublin)"),
    ("Europe/Paris", "Central Europe (Paris, Berlin, Madrid, Rome)"),
    ("Europe/Athens", "Eastern Europe (Athens, Helsinki)"),
    ("America/New_York", "US Eastern (New York)"),
    ("America/Chicago", "US Central (Chicago)"),
    ("America/Denver", "US Mountain (Denver)"),
    ("America/Los_Angeles", "US Pacific (Los Angeles)"),
    ("Asia/Kolkata", "India (Delhi, Mumbai)"),
    ("Australia/Sydney", "Australia Eastern (Sydney, Melbourne)"),
    ("Pacific/Auckland", "New Zealand (Auckland)"),
)
OTHER_TIME_ZONE = "other"


class TimeZoneField(forms.ChoiceField):
    """Every time zone, the common ones first."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("choices", grouped_time_zone_choices)
        kwargs.setdefault("label", "Your time zone")
        kwargs.setdefault(
            "help_text", "Entries are shown in this time zone. You can change it later."
        )
        kwargs.setdefault(
            "error_messages",
            {
                "required": "Choose your time zone.",
                "invalid_choice": "Choose a time zone from the list.",
            },
        )
        super().__init__(initial=DEFAULT_TIME_ZONE, **kwargs)


class FriendlyTimeZoneField(TimeZoneField):
    """The short list as radios, with "Other time zone" last. Any zone's own name is
    taken too, as the full list sends it."""

    widget = forms.RadioSelect

    def __init__(self, **kwargs) -> None:
        choices = [*FRIENDLY_TIME_ZONES, (OTHER_TIME_ZONE, "Other time zone")]
        super().__init__(choices=choices, **kwargs)

    def valid_value(self, value: str) -> bool:
        return value == OTHER_TIME_ZONE or value in dict(time_zone_choices())


def _no_autofocus(form: forms.Form) -> None:
    """Django's account forms focus their first field; ours leave focus at the top of the
    page, so the first Tab reaches the skip link as on every other page."""
    for field in form.fields.values():
        field.widget.attrs.pop("autofocus", None)


class SignUpForm(BaseUserCreationForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="You sign in with this. We only email you to reset your password.",
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address like name@example.com.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    time_zone = FriendlyTimeZoneField()
    other_time_zone = TimeZoneField(
        label="Choose your time zone",
        help_text="",
        required=False,
        error_messages={
            "required": "Choose your time zone from the list.",
            "invalid_choice": "Choose a time zone from the list.",
        },
    )

    class Meta:
        model = User
        fields = ("email", "time_zone")

    def __init__(self, *args, answers: dict[str, str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.answers = answers
        _no_autofocus(self)
        self.fields["password1"].error_messages["required"] = "Enter a password."
        self.fields["password2"].error_messages["required"] = "Enter the same password again."

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["email"])

    def clean(self) -> dict:
        data = super().clean()
        if data.get("time_zone") == OTHER_TIME_ZONE:
            other = data.get("other_time_zone")
            if other:
                data["time_zone"] = other
            elif "other_time_zone" not in self.errors:
                message = self.fields["other_time_zone"].error_messages["required"]
                self.add_error("other_time_zone", message)
        return data

    def validate_unique(self) -> None:
        """Never say whether an address has an account: `save` leaves an open account as
        it is, and the sign-up page emails its holder instead."""

    def save(self, commit: bool = True) -> User:
        """The account this sign-up opens once its emailed link is followed (see
        `UserManager.sign_up`), which may be one that already exists."""
        data = self.cleaned_data
        return User.objects.sign_up(
            data["email"], data["password1"], data["time_zone"], answers=self.answers
        )


class EmailAuthenticationForm(AuthenticationForm):
    """Sign in with an email address, whatever its capital letters (see `UserManager`)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.label = "Email address"
        # An email field, so that phones offer their email keyboard.
        username.widget.input_type = "email"
        username.widget.attrs["autocomplete"] = "email"
        _no_autofocus(self)
        username.error_messages["required"] = "Enter your email address."
        self.fields["password"].error_messages["required"] = "Enter your password."

    def get_invalid_login_error(self) -> forms.ValidationError:
        """The wrong-password error; before the last try ahead of the pause, a warning too."""
        error = super().get_invalid_login_error()
        if self.request is None or tries_left(self.request, self.cleaned_data.get("username")) != 1:
            return error
        warning = (
            f"You have 1 more try before sign-in is paused for {pause_length(self.request)}. "
            "You can reset your password instead."
        )
        return forms.ValidationError([error, forms.ValidationError(warning, code="last_try")])


class ResetRequestForm(PasswordResetForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages.update(
            {
                "required": "Enter your email address.",
                "invalid": "Enter an email address like name@example.com.",
            }
        )


def _new_password_messages(form: SetPasswordForm) -> None:
    _no_autofocus(form)
    form.fields["new_password1"].error_messages["required"] = "Enter a new password."
    form.fields["new_password2"].error_messages["required"] = "Enter the new password again."


class NewPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _new_password_messages(self)


class ChangePasswordForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _new_password_messages(self)
        self.fields["old_password"].error_messages["required"] = "Enter your current password."


class TimeZoneForm(forms.ModelForm):
    time_zone = TimeZoneField(help_text="Entries are shown in this time zone.")

    class Meta:
        model = User
        fields = ("time_zone",)

    def save(self, commit: bool = True) -> User:
        """Save the time zone alone: whatever else the account holds is left as it is now
        in the database."""
        self.instance.save(update_fields=["time_zone"])
        return self.instance


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password to delete your account."},
    )

    def __init__(self, user: User, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That password is not right. Your account is unchanged.")
        return password
