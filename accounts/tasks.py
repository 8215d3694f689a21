"""Account email, sent by the background worker (`manage.py db_worker`).

The account pages queue an `AccountEmail` (the sign-up, "you already have an account",
password-reset and password-changed emails) and a `send_account_email` task given only
its id, so the task's record never holds an address, a link or a token. The worker
writes the email when it sends it, making the link and its token then, and deletes the
`AccountEmail` once it is sent or given up; an email the mail server does not take is
tried again later.
"""

from datetime import timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import AccountEmail, User

# An email the mail server did not take (down, refusing, or silent past the SMTP
# timeout) is tried again after each of these waits, then given up.
EMAIL_RETRY_AFTER = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15))

Kind = AccountEmail.Kind
TEMPLATES = {
    Kind.SIGN_UP: "registration/signup_email.txt",
    Kind.ALREADY_OPEN: "registration/signup_exists_email.txt",
    Kind.PASSWORD_RESET: "registration/password_reset_email.txt",
    Kind.PASSWORD_CHANGED: "registration/password_changed_email.txt",
}
SUBJECTS = {
    Kind.SIGN_UP: "Open your Twitch Check account",
    Kind.ALREADY_OPEN: "Your Twitch Check account",
    Kind.PASSWORD_RESET: "Reset your Twitch Check password",
    Kind.PASSWORD_CHANGED: "Your Twitch Check password was changed",
}


def queue_email(
    kind: str, *, site_url: str, user: User | None = None, address: str = ""
) -> AccountEmail:
    """Queue an account email: its record, and the task that sends it, given its id."""
    with transaction.atomic():
        email = AccountEmail.objects.queue(kind, site_url=site_url, user=user, address=address)
        send_account_email.enqueue(email_id=email.pk)
    return email


def password_changed(user: User, site_url: str) -> None:
    """Queue the notice that `user`'s password changed just now."""
    queue_email(Kind.PASSWORD_CHANGED, site_url=site_url, user=user)


@task
def send_account_email(*, email_id: int, attempt: int = 1) -> None:
    """Send the queued account email `email_id`, if it is still wanted."""
    email = AccountEmail.objects.select_related("user").filter(pk=email_id).first()
    if email is None:
        return  # sent already, replaced by a newer sign-up's, or its account deleted
    _send(email, attempt=attempt)


def _send(email: AccountEmail, *, attempt: int) -> None:
    """Write and send `email`, then delete it; if the mail server fails, queue the next
    try before failing this one, so the failure stays on record in the task's result."""
    message = _write(email)
    if message is None:
        email.delete()
        return
    to, subject, body = message
    try:
        send_mail(subject, body, None, [to])
    except OSError:  # smtplib's errors and socket timeouts alike
        if attempt <= len(EMAIL_RETRY_AFTER):
            run_after = timezone.now() + EMAIL_RETRY_AFTER[attempt - 1]
            send_account_email.using(run_after=run_after).enqueue(
                email_id=email.pk, attempt=attempt + 1
            )
        else:
            email.delete()
        raise
    email.delete()


def _write(email: AccountEmail) -> tuple[str, str, str] | None:
    """The address, subject and body of `email`, written now; None if there is no one to
    send it to (a reset for an address with no open account, an account already open)."""
    user = email.user
    if email.kind == Kind.PASSWORD_RESET:
        # An open account without a usable password (two sign-ups differed, and its
        # holder has not chosen one yet) may set one this way too.
        user = User.objects.filter(email=email.address, is_active=True).first()
    elif email.kind == Kind.SIGN_UP and user is not None and user.is_active:
        user = None  # opened since, from an earlier sign-up email's link
    if user is None:
        return None
    context = {"site_url": email.site_url, "email": user.email}
    if email.kind == Kind.SIGN_UP:
        context["link"] = user.sign_up_link()
        context["choose_password"] = not user.has_usable_password()
    elif email.kind == Kind.PASSWORD_RESET:
        context["link"] = user.password_reset_link()
    elif email.kind == Kind.PASSWORD_CHANGED:
        changed_at = timezone.localtime(email.created_at, timezone=user.zone)
        context["changed_at"] = f"{changed_at:%-d %B %Y at %H:%M} ({user.zone.key} time)"
    body = render_to_string(TEMPLATES[email.kind], context)
    return user.email, SUBJECTS[email.kind], body


# Queued by the version before AccountEmail, with the address (and a sign-up's link) in
# the task's own arguments, and found by these names (journal/tasks.py keeps the older
# ones); each is sent as a new one is, and any further try is queued the new way.


@task
def send_sign_up_email(*, email: str, site_url: str, link: str | None, attempt: int = 1) -> None:
    user = User.objects.filter(email=email).first()
    if user is not None:
        kind = Kind.ALREADY_OPEN if link is None else Kind.SIGN_UP
        _send(AccountEmail.objects.create(kind=kind, user=user, site_url=site_url), attempt=attempt)


@task
def send_password_reset(*, email: str, site_url: str, attempt: int = 1) -> None:
    queued = AccountEmail.objects.create(kind=Kind.PASSWORD_RESET, address=email, site_url=site_url)
    _send(queued, attempt=attempt)


@task
def send_password_changed_email(
    *, email: str, site_url: str, changed_at: str, attempt: int = 1
) -> None:
    user = User.objects.filter(email=email).first()
    if user is not None:
        queued = AccountEmail.objects.create(
            kind=Kind.PASSWORD_CHANGED, user=user, site_url=site_url
        )
        _send(queued, attempt=attempt)
