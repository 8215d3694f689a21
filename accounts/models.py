"""People, known by their email address; the sessions they are signed in with; the
account emails waiting to be sent; and the counts behind the site's rate limits."""

from datetime import timedelta
from importlib import import_module
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.auth.tokens import default_token_generator
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from accounts.tokens import sign_up_tokens


class UserManager(BaseUserManager["User"]):
    """People are known by their email address, the same whatever its capital letters.

    Every way in goes through `normalize_email`: sign-up, `createsuperuser`, the admin
    (through `AbstractUser.clean`) and sign-in (through `get_by_natural_key`).
    """

    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        return (email or "").strip().lower()

    def get_by_natural_key(self, email: str | None) -> "User":
        return self.get(email=self.normalize_email(email))

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def sign_up(
        self, email: str, password: str, time_zone: str, answers: dict[str, str] | None = None
    ) -> "User":
        """The account a sign-up with `email` opens once its emailed link is followed,
        carrying `answers` (a self-check result the sign-up started from) to it.

        An account nobody has opened yet keeps its password when the same one is given
        again. A different one wins for neither sign-up: the account is left with no
        usable password, and whoever opens it from the newest link (only the person
        reading the inbox can) chooses one then. So neither a stranger signing up first
        nor one signing up after the owner can open the account with a password of
        theirs. The newest sign-up's time zone and answers are kept. An open account is
        left as it is, after the same hashing work a new one costs, so the answer takes
        as long either way.
        """
        with transaction.atomic():
            user = self.select_for_update().filter(email=email).first()
            if user is None:
                user = self.create_user(email, password, time_zone=time_zone, is_active=False)
            elif user.is_active:
                make_password(password)
                return user
            else:
                if not user.check_password(password):
                    user.set_unusable_password()
                user.time_zone = time_zone
                user.save(update_fields=["password", "time_zone"])
            SignUpCheck.objects.keep(user, answers)
        return user

    def open_account(self, uidb64: str, token: str) -> "User | None":
        """Open the account an emailed sign-up link names, once; None if the link is not right."""
        try:
            user = self.get(pk=int(urlsafe_base64_decode(uidb64)))
        except (ValueError, OverflowError, self.model.DoesNotExist):
            return None
        if user.is_active or not sign_up_tokens.check_token(user, token):
            return None
        with transaction.atomic():
            user.is_active = True
            user.save(update_fields=["is_active"])
            AccountEmail.objects.filter(user=user, kind=AccountEmail.Kind.SIGN_UP).delete()
        return user


class User(AbstractUser):
    """A person who keeps a journal; they sign in with their email address."""

    username = None
    email = models.EmailField("email address", unique=True)
    time_zone = models.CharField(max_length=64, default="Europe/London")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        # Made by the journal app before accounts had an app of its own; the table kept
        # its name, so no row moved (see migrations/0001_initial.py).
        db_table = "journal_user"

    def __str__(self) -> str:
        return self.email

    @property
    def zone(self) -> ZoneInfo:
        """The person's own time zone; the site's if the one stored is not known."""
        try:
            return ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            return ZoneInfo(settings.TIME_ZONE)

    def sign_up_link(self) -> str:
        """The path of the emailed link that opens this account (accounts/tokens.py)."""
        return self._link("accounts:signup_open", sign_up_tokens.make_token(self))

    def password_reset_link(self) -> str:
        """The path of the emailed link that sets a new password (accounts/tokens.py)."""
        token = default_token_generator.make_token(self)
        return self._link("accounts:password_reset_confirm", token)

    def _link(self, view_name: str, token: str) -> str:
        # Made when the email is sent, and never stored: it stops working once the
        # account's password, email or last sign-in changes, or its time is up.
        return reverse(view_name, args=[urlsafe_base64_encode(force_bytes(self.pk)), token])

    def delete_account(self) -> None:
        """Delete the person and, through CASCADE, every entry, saved check and plan at
        once; the failed sign-in attempts recorded against their address; any account
        email still waiting to be sent to them; and every session they are signed in
        with, wherever it is kept."""
        with transaction.atomic():
            AccessAttempt.objects.filter(username=self.email).delete()
            AccountEmail.objects.filter(address=self.email).delete()
            SignedInSession.objects.end(self)
            self.delete()


class ThrottleHit(models.Model):
    """One use of something rate-limited (a password check, an email sent), by one key.

    Kept in the database so that every process and server counts the same uses; keys are
    keyed hashes, so no email address or IP address is stored here.
    """

    scope = models.CharField(max_length=32)
    key = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        # Made by the journal app, like `User`'s.
        db_table = "journal_throttlehit"
        indexes = [models.Index(fields=["scope", "key", "at"], name="throttle_scope_key_at")]

    def __str__(self) -> str:
        return f"{self.scope} at {self.at:%Y-%m-%d %H:%M}"


def session_store() -> type:
    """The configured session engine's SessionStore, read when it is needed (tests change
    the engine)."""
    return import_module(settings.SESSION_ENGINE).SessionStore


class SignedInSessionQuerySet(models.QuerySet["SignedInSession"]):
    def remember(self, user: User, session_key: str) -> None:
        """Record that `user` signed in with `session_key`, and forget the keys of their
        sessions that have ended (expired, or deleted) since."""
        self.update_or_create(
            session_key=session_key, defaults={"user": user, "signed_in_at": timezone.now()}
        )
        others = list(
            self.filter(user=user)
            .exclude(session_key=session_key)
            .values_list("session_key", flat=True)
        )
        if ended := set(others) - live_session_keys(others):
            self.filter(session_key__in=ended).delete()

    def end(self, user: User, *, keep: str | None = None) -> list[str]:
        """Delete every session `user` is signed in with, but `keep`, through the session
        engine (the database row and, for cached_db, the copy in the cache), and forget
        their keys; returns the keys of the sessions ended."""
        ended = [
            key
            for key in self.filter(user=user).values_list("session_key", flat=True)
            if key != keep
        ]
        store = session_store()
        for key in ended:
            store(key).delete()
        self.filter(session_key__in=ended).delete()
        if keep:
            self.remember(user, keep)
        return ended

    def forget_ended(self) -> int:
        """Forget the keys of sessions that have ended, whoever's they were."""
        forgotten = 0
        keys = list(self.values_list("session_key", flat=True).iterator())
        for start in range(0, len(keys), 500):
            batch = keys[start : start + 500]
            if ended := set(batch) - live_session_keys(batch):
                forgotten += self.filter(session_key__in=ended).delete()[0]
        return forgotten


def live_session_keys(keys: list[str]) -> set[str]:
    """Those of `keys` whose session has not ended."""
    if not keys:
        return set()
    store = session_store()
    if hasattr(store, "get_model_class"):
        # The database engines, cached_db among them, keep every session in the database:
        # a session there whose time is up has ended, though its row waits for
        # `clear_expired` (an expired session still "exists" to them).
        return set(
            store.get_model_class()
            .objects.filter(session_key__in=keys, expire_date__gt=timezone.now())
            .values_list("session_key", flat=True)
        )
    return {key for key in keys if store().exists(key)}


class SignedInSession(models.Model):
    """A session someone signed in with, by its key, kept so that every session of theirs
    can be ended at once: when they delete their account or change their password.

    Recorded on every sign-in and forgotten on signing out (accounts/sessions.py); the
    keys of sessions that ended otherwise are forgotten at the person's next sign-in and
    by the background worker's hourly housekeeping.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    signed_in_at = models.DateTimeField()

    objects = SignedInSessionQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Signed in at {self.signed_in_at:%Y-%m-%d %H:%M}"


class AccountEmailQuerySet(models.QuerySet["AccountEmail"]):
    def queue(
        self, kind: str, *, site_url: str, user: User | None = None, address: str = ""
    ) -> "AccountEmail":
        """A new email waiting to be sent. A sign-up's replaces the account's earlier
        sign-up emails not yet sent: only the newest sign-up's link could open it.

        Every call does the same database work whoever it is for, so a password reset
        asked for an address with no account takes as long as one for an address with one.
        """
        self.filter(created_at__lt=timezone.now() - AccountEmail.KEPT_FOR).delete()
        if kind == AccountEmail.Kind.SIGN_UP:
            self.filter(user=user, kind=kind).delete()
        return self.create(kind=kind, user=user, address=address, site_url=site_url)


class AccountEmail(models.Model):
    """An account email waiting for the background worker, which is given only its id.

    The task's own record (kept a day) thus holds no address, link or token: the worker
    makes the link and its token when it sends the email, and deletes this record once
    the email is sent or given up. A password reset keeps the address typed, which the
    worker looks up (the reset page never does, so it does the same work for any address);
    every other kind names its account. One not sent within `KEPT_FOR` (no worker ran) is
    deleted when the next is queued; all of a person's go with their account.
    """

    class Kind(models.TextChoices):
        SIGN_UP = "sign_up", "Open your account"
        ALREADY_OPEN = "already_open", "You already have an account"
        PASSWORD_RESET = "password_reset", "Reset your password"
        PASSWORD_CHANGED = "password_changed", "Your password was changed"

    KEPT_FOR = timedelta(days=1)

    kind = models.CharField(max_length=20, choices=Kind.choices)
    user = models.ForeignKey(User, on_delete=models.CASCADE, null=True, blank=True)
    # A password reset's address, as typed; empty for every other kind.
    address = models.EmailField(blank=True)
    # Where the request came to, for the email's links.
    site_url = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AccountEmailQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, queued {self.created_at:%Y-%m-%d %H:%M}"


class SignUpCheckQuerySet(models.QuerySet["SignUpCheck"]):
    def keep(self, user: User, answers: dict[str, str] | None) -> None:
        """Keep `answers` for `user`'s account until it opens, or forget any kept."""
        if answers:
            self.update_or_create(user=user, defaults={"answers": answers, "at": timezone.now()})
        else:
            self.filter(user=user).delete()

    def take(self, user: User) -> dict[str, str] | None:
        """The answers kept for `user`, once: they are deleted as they are read."""
        check = self.filter(user=user).first()
        if check is None:
            return None
        check.delete()
        return check.answers if isinstance(check.answers, dict) else None

    def forget_stale(self) -> int:
        """Forget the answers of sign-ups whose link no longer works."""
        cutoff = timezone.now() - timedelta(seconds=settings.SIGN_UP_LINK_TIMEOUT)
        return self.filter(at__lt=cutoff).delete()[0]


class SignUpCheck(models.Model):
    """The self-check answers of a sign-up started from a result, kept with the account
    not yet open, so that opening it from the emailed link, in any browser, brings the
    person back to that result, ready to save.

    Deleted when the account opens (the answers move into that browser's session), when
    a newer sign-up without a result replaces it, and by the worker's housekeeping once
    the link's time is up.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="sign_up_check")
    answers = models.JSONField()
    at = models.DateTimeField(default=timezone.now)

    objects = SignUpCheckQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Self-check answers kept since {self.at:%Y-%m-%d %H:%M}"
