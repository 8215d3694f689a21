"""The tokens in emailed links, and how long each kind of link works.

A password-reset link carries Django's own token (`default_token_generator`), which
stops working after `PASSWORD_RESET_TIMEOUT`. A sign-up link carries a token of its own
kind, which stops working after `SIGN_UP_LINK_TIMEOUT`: its own salt, so a sign-up link
can never be used to reset a password, nor a reset link to open an account. Both are
made by the background worker when it sends the email, never stored, and stop working
once the account's password, email or last sign-in changes.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class SignUpTokenGenerator(PasswordResetTokenGenerator):
    """Django's password-reset token with its own salt, working for `SIGN_UP_LINK_TIMEOUT`."""

    key_salt = "accounts.tokens.SignUpTokenGenerator"

    def check_token(self, user, token) -> bool:
        # Django's check, with this kind's lifetime in place of PASSWORD_RESET_TIMEOUT.
        if not (user and token):
            return False
        try:
            made_b36, _ = token.split("-")
            made = base36_to_int(made_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, made, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return self._num_seconds(self._now()) - made <= settings.SIGN_UP_LINK_TIMEOUT


sign_up_tokens = SignUpTokenGenerator()


def lifetime(seconds: int) -> str:
    """How long a link works, as an email or page says it: "2 hours", "30 minutes"."""
    if seconds >= 3600 and seconds % 3600 == 0:
        amount, unit = seconds // 3600, "hour"
    else:
        amount, unit = max(1, seconds // 60), "minute"
    return f"{amount} {unit}{'' if amount == 1 else 's'}"


def sign_up_link_lifetime() -> str:
    return lifetime(settings.SIGN_UP_LINK_TIMEOUT)


def reset_link_lifetime() -> str:
    return lifetime(settings.PASSWORD_RESET_TIMEOUT)
