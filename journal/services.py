"""Every write to a person's journal, each in one small keyword-only function."""

import logging
from collections.abc import Mapping
from datetime import date
from itertools import batched
from typing import Any

from axes.models import AccessAttempt
from axes.utils import reset as reset_sign_in_failures
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from journal import tasks
from journal.exports import ImportResult, check_import
from journal.models import (
    ENTRY_FIELDS,
    Duration,
    Entry,
    JournalImport,
    Plan,
    PlanCheck,
    SavedCheck,
    User,
)
from journal.timezones import person_tz
from triage.engine import Assessment

logger = logging.getLogger(__name__)

IMPORT_BATCH = 5000
IMPORT_FAILED = "Something went wrong while saving. Nothing from this file was saved."
IMPORT_STOPPED = "This import did not finish in time. Nothing from this file was saved."


def user_create(*, email: str, password: str, time_zone: str) -> User:
    return User.objects.create_user(email, password, time_zone=time_zone)


def user_sign_up(*, email: str, password: str, time_zone: str, site_url: str) -> None:
    """Email `email` a link that opens a new account, or, if the address already has one,
    tell its holder someone tried; both do the same work, so neither can be told apart.

    An account nobody has opened yet takes the newest password and time zone: only the
    person reading the inbox can open it, so a stranger cannot hold an address by signing
    up first.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, password, time_zone=time_zone, is_active=False)
        elif not user.is_active:
            user.set_password(password)
            user.time_zone = time_zone
            user.save(update_fields=["password", "time_zone"])
        else:
            make_password(password)  # the hashing work a new account costs
    # Made now, so a later sign-up with a new password makes this link stop working.
    link = None if user.is_active else _account_link(view_name="journal:signup_open", user=user)
    tasks.send_sign_up_email.enqueue(email=user.email, site_url=site_url, link=link)


def user_send_sign_up_email(*, email: str, site_url: str, link: str | None) -> None:
    """Email the link that opens the account, or, with no link, tell an open account's
    holder that someone tried to sign up with their address. Run by the background worker."""
    if link is None:
        template, subject = "registration/signup_exists_email.txt", "Your Twitch Check account"
    else:
        template, subject = "registration/signup_email.txt", "Open your Twitch Check account"
    context = {"site_url": site_url, "link": link}
    send_mail(subject, render_to_string(template, context), None, [email])


def user_request_password_reset(*, email: str, site_url: str) -> None:
    """Queue the reset email. The worker looks the address up, so the answer takes the
    same time, and says the same, whether or not the address has an account."""
    tasks.send_password_reset.enqueue(email=email, site_url=site_url)


def user_send_password_reset(*, email: str, site_url: str) -> None:
    """Email a link to choose a new password, if `email` is an open account's address.
    Run by the background worker."""
    user = User.objects.filter(email=email, is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    context = {
        "email": user.email,
        "site_url": site_url,
        "link": _account_link(view_name="journal:password_reset_confirm", user=user),
    }
    send_mail(
        "Reset your Twitch Check password",
        render_to_string("registration/password_reset_email.txt", context),
        None,
        [user.email],
    )


def _account_link(*, view_name: str, user: User) -> str:
    """The path of an emailed link for `user`; it stops working once the account's
    password, email or last sign-in changes (Django's password-reset token)."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse(view_name, args=[uidb64, default_token_generator.make_token(user)])


def user_open(*, uidb64: str, token: str) -> User | None:
    """Open the account the emailed link names, once; None if the link is not right."""
    try:
        user = User.objects.get(pk=int(urlsafe_base64_decode(uidb64)))
    except (ValueError, OverflowError, User.DoesNotExist):
        return None
    if user.is_active or not default_token_generator.check_token(user, token):
        return None
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


def user_set_time_zone(*, user: User, time_zone: str) -> None:
    user.time_zone = time_zone
    user.save(update_fields=["time_zone"])


def user_notify_password_changed(*, user: User, site_url: str) -> None:
    """Queue a notice to the account's address that its password changed, so a change the
    holder did not make does not go unnoticed."""
    zone = person_tz(user)
    changed_at = timezone.localtime(timezone=zone)
    tasks.send_password_changed_email.enqueue(
        email=user.email,
        site_url=site_url,
        changed_at=f"{changed_at:%-d %B %Y at %H:%M} ({zone.key} time)",
    )


def user_send_password_changed_email(*, email: str, site_url: str, changed_at: str) -> None:
    """Run by the background worker."""
    context = {"email": email, "site_url": site_url, "changed_at": changed_at}
    send_mail(
        "Your Twitch Check password was changed",
        render_to_string("registration/password_changed_email.txt", context),
        None,
        [email],
    )


def user_unlock_sign_in(*, user: User) -> None:
    """Forget the account's failed sign-ins from every address: the person has just proved,
    through a password-reset email, that the account is theirs."""
    reset_sign_in_failures(username=user.get_username())


def user_delete(*, user: User) -> None:
    """Delete the person and, through CASCADE, every entry, saved check and plan at once,
    and the failed sign-in attempts recorded against their address."""
    with transaction.atomic():
        AccessAttempt.objects.filter(username=user.email).delete()
        user.delete()


@transaction.atomic
def entry_create(*, user: User, data: Mapping[str, Any]) -> Entry:
    """A new entry of the person's, from the fields of `data` a person records."""
    return Entry.objects.create(user=user, **{name: data[name] for name in ENTRY_FIELDS})


@transaction.atomic
def entry_update(*, entry: Entry, data: Mapping[str, Any]) -> Entry:
    for name in ENTRY_FIELDS:
        setattr(entry, name, data[name])
    entry.save()
    return entry


@transaction.atomic
def entry_quick_add(*, user: User, region: str, side: str) -> Entry:
    """A twitch now: the place and side, with everything else left for later."""
    return Entry.objects.create(
        user=user, occurred_at=timezone.now(), region=region, side=side, duration=Duration.SECONDS
    )


@transaction.atomic
def entry_delete(*, entry: Entry) -> None:
    entry.delete()


@transaction.atomic
def saved_check_create(
    *, user: User, answers: Mapping[str, str], assessment: Assessment
) -> SavedCheck:
    return SavedCheck.objects.create(
        user=user,
        answers=dict(answers),
        level=assessment.level.id,
        ruleset_version=assessment.ruleset_version,
    )


@transaction.atomic
def saved_check_delete(*, check: SavedCheck) -> None:
    check.delete()


@transaction.atomic
def plan_start(*, user: User, today: date) -> Plan:
    return Plan.objects.create(user=user, started_on=today)


@transaction.atomic
def plan_finish(*, plan: Plan, today: date) -> None:
    """End the plan early, on `today`; its days so far stay as they are."""
    plan.ended_on = max(plan.started_on, today)
    plan.save(update_fields=["ended_on"])


@transaction.atomic
def plan_delete(*, plan: Plan) -> None:
    plan.delete()


@transaction.atomic
def plan_set_day_steps(*, plan: Plan, day: date, step_ids: list[str]) -> None:
    """Make the steps done on `day` exactly `step_ids`."""
    PlanCheck.objects.filter(plan=plan, day=day).exclude(step_id__in=step_ids).delete()
    PlanCheck.objects.bulk_create(
        [PlanCheck(plan=plan, day=day, step_id=step_id) for step_id in step_ids],
        ignore_conflicts=True,
    )


def journal_import_start(
    *, user: User, data: dict[str, Any]
) -> tuple[ImportResult, JournalImport | None]:
    """Check every record of an exported journal now; if all are right, keep the file and
    queue its saving for the background worker. A large journal takes longer to save than
    a web request may last."""
    result = check_import(user, data)
    if not result.ok:
        return result, None
    with transaction.atomic():
        # A stalled import will not be saved now; its file is not kept.
        JournalImport.objects.for_user(user).stalled().update(
            status=JournalImport.Status.FAILED, data=None, errors=[IMPORT_STOPPED]
        )
        upload = JournalImport.objects.create(
            user=user, data=data, to_add=result.added, skipped=result.skipped
        )
        tasks.save_journal_import.enqueue(import_id=upload.pk)
    return result, upload


def journal_import_save(*, import_id: int) -> None:
    """Check the kept file again against the journal as it is now, then save its new
    records, all or nothing, and empty the file. Run by the background worker."""
    upload = JournalImport.objects.select_related("user").filter(pk=import_id).first()
    if upload is None or upload.status != JournalImport.Status.WAITING:
        return  # the account was deleted, or another worker took it
    if upload.stalled:
        # Its page already says nothing from it was saved; keep to that.
        _finish_import(upload=upload, result=None, error=IMPORT_STOPPED)
        return
    upload.status = JournalImport.Status.SAVING
    upload.save(update_fields=["status", "updated_at"])
    try:
        with transaction.atomic():
            # One import at a time per person, so two never both add the same record.
            User.objects.select_for_update().get(pk=upload.user_id)
            result = check_import(upload.user, upload.data)
            if result.ok:
                _save_import(upload=upload, result=result)
            _finish_import(upload=upload, result=result)
    except Exception:
        _finish_import(upload=upload, result=None, error=IMPORT_FAILED)
        raise


def _finish_import(*, upload: JournalImport, result: ImportResult | None, error: str = "") -> None:
    upload.data = None
    if result is None:
        upload.status = JournalImport.Status.FAILED
        upload.added = 0
        upload.errors = [error]
    else:
        upload.status = JournalImport.Status.DONE if result.ok else JournalImport.Status.FAILED
        upload.added, upload.skipped, upload.errors = result.added, result.skipped, result.errors
    upload.save()
    _share_progress(upload=upload, count=None)


def _share_progress(*, upload: JournalImport, count: int | None) -> None:
    """Tell the import's page how many entries are saved so far (None: forget the count).
    The count is only a help to the person waiting: an unreachable cache never stops the
    import."""
    try:
        if count is None:
            cache.delete(upload.progress_key)
        else:
            cache.set(upload.progress_key, count, JournalImport.STALLED_AFTER.total_seconds())
    except Exception:  # each cache backend raises its own errors
        logger.warning("The import's progress could not be shared.", exc_info=True)


def _save_import(*, upload: JournalImport, result: ImportResult) -> None:
    # One batch of entries is built at a time: a large journal never holds every new
    # Entry in memory at once (about 90 MB for 100,000), and Python's garbage collector
    # has less to walk.
    user = upload.user
    saved = 0
    for rows in batched(result.entries, IMPORT_BATCH):
        Entry.objects.bulk_create(
            [Entry(user_id=user.pk, **dict(zip(ENTRY_FIELDS, row, strict=True))) for row in rows]
        )
        saved += len(rows)
        _share_progress(upload=upload, count=saved)
    for check, created_at in result.saved_checks:
        check.save()
        # created_at is set automatically on save; keep the date the check was made.
        SavedCheck.objects.filter(pk=check.pk).update(created_at=created_at)
    for started_on, ended_on, checks in result.plans:
        plan = Plan.objects.create(user=user, started_on=started_on, ended_on=ended_on)
        PlanCheck.objects.bulk_create(
            PlanCheck(plan=plan, day=day, step_id=step) for day, step in sorted(checks)
        )
