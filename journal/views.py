"""The timeline, entries, self-check results saved to the journal, and deleting records.

Every view that takes an id looks it up among the signed-in person's own records
(`get_object_or_404(Model.objects.for_user(request.user), pk=pk)`), so anybody else's id
is not found.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap

from config.htmx import render_part, swaps_part, vary_on_htmx
from journal.forms import CheckInForm, EntryForm, FilterForm, QuickAddForm
from journal.models import CheckIn, Entry, Plan, SavedCheck
from journal.saved_results import level_label, readable_answers
from journal.timezones import person_today, person_tz
from reliability.once import sent_once
from triage.answers import (
    first_unanswered_url,
    get_answers,
    has_result,
    mark_saved,
    saved_check_id,
)
from triage.engine import assess

PAGE_SIZE = 25
# A check-in can be made or changed for today and this many days before.
CHECK_IN_DAYS_BACK = 30
SAVED_CHECKS_SHOWN = 10
QUICK_ADD_PREFIX = "quick"
JUST_LOGGED = "journal_just_logged"
UNDO_WITHIN = timedelta(minutes=15)


def timeline_context(request: HttpRequest, query: dict) -> dict:
    """The filtered, paginated timeline: one count and one page of entries."""
    filters = FilterForm(query or None)
    filters.is_valid()
    entries = Entry.objects.for_user(request.user).filtered(
        **filters.filters(person_tz(request.user))
    )
    page = Paginator(entries, PAGE_SIZE).get_page(query.get("page"))
    return {"filters": filters, "page": page, "entries": page.object_list}


def recent_saved_checks(request: HttpRequest) -> list[SavedCheck]:
    checks = list(SavedCheck.objects.for_user(request.user)[:SAVED_CHECKS_SHOWN])
    for check in checks:
        check.level_label = level_label(check.level)
    return checks


@vary_on_htmx
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "journal/welcome.html")
    context = timeline_context(request, request.GET)
    if not swaps_part(request):  # the whole page, not only the timeline's update
        usual_place = Entry.objects.for_user(request.user).usual_place()
        context["quick_form"] = QuickAddForm(prefix=QUICK_ADD_PREFIX, initial=usual_place)
        context["saved_checks"] = recent_saved_checks(request)
        context |= just_logged(request)
        context["checked_in_today"] = (
            CheckIn.objects.for_user(request.user).filter(day=person_today(request.user)).exists()
        )
    return render_part(request, "journal/index.html", "timeline_update", context)


@require_POST
@login_required
@sent_once
def quick_add(request: HttpRequest) -> HttpResponse:
    form = QuickAddForm(request.POST, prefix=QUICK_ADD_PREFIX)
    if not form.is_valid():
        message = "Choose an area and a side from the lists, then try again."
        if swaps_part(request):
            status = render(request, "journal/index.html#quick_status", {"message": message})
            return reswap(status, "none")
        messages.error(request, message)
        return redirect("journal:index")
    form.instance.user = request.user
    entry = form.save()
    local = timezone.localtime(entry.occurred_at)
    message = (
        f"Twitch logged: {entry.get_region_display()} "
        f"({entry.get_side_display().lower()}) at {local:%H:%M}."
    )
    if swaps_part(request):
        return _timeline_update(request, message, logged=entry)
    request.session[JUST_LOGGED] = [entry.pk, message]
    return redirect("journal:index")


def just_logged(request: HttpRequest) -> dict:
    """The twitch the quick add has just logged, once, for its confirmation with Undo."""
    pk, message = request.session.pop(JUST_LOGGED, (None, ""))
    entry = Entry.objects.for_user(request.user).filter(pk=pk).first() if pk else None
    return {"logged": entry, "message": message} if entry else {}


def _timeline_update(request: HttpRequest, message: str, **context: Any) -> HttpResponse:
    query = {key: value for key, value in request.POST.items() if key in FilterForm.base_fields}
    context = timeline_context(request, query) | {"message": message, **context}
    return render(request, "journal/index.html#timeline_update", context)


@require_POST
@login_required
@sent_once
def quick_undo(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a twitch logged a moment ago (a tap too many), within `UNDO_WITHIN`."""
    entry = get_object_or_404(Entry.objects.for_user(request.user), pk=pk)
    if timezone.now() - entry.created_at > UNDO_WITHIN:
        message = (
            f"This twitch was logged more than {UNDO_WITHIN.seconds // 60} minutes ago, so "
            "Undo no longer works for it. You can delete it from your timeline."
        )
        if swaps_part(request):
            status = render(request, "journal/index.html#quick_status", {"message": message})
            return reswap(status, "none")
        messages.info(request, message)
        return redirect("journal:index")
    local = timezone.localtime(entry.occurred_at)
    entry.delete()
    message = f"Undone: the twitch logged at {local:%H:%M} is removed from your journal."
    if swaps_part(request):
        return _timeline_update(request, message)
    messages.success(request, message)
    return redirect("journal:index")


@require_http_methods(["GET", "POST"])
@login_required
@sent_once
def entry_new(request: HttpRequest) -> HttpResponse:
    form = EntryForm(
        request.POST or None, initial=Entry.objects.for_user(request.user).usual_place()
    )
    if request.method == "POST" and form.is_valid():
        form.instance.user = request.user
        form.save()
        messages.success(request, "Your entry is saved.")
        return redirect("journal:index")
    return render(request, "journal/entry_form.html", {"form": form, "entry": None})


@require_http_methods(["GET", "POST"])
@login_required
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(Entry.objects.for_user(request.user), pk=pk)
    form = EntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your changes are saved.")
        return redirect("journal:index")
    return render(request, "journal/entry_form.html", {"form": form, "entry": entry})


@require_http_methods(["GET", "POST"])
@login_required
@sent_once
def check_in(request: HttpRequest, day: date | None = None) -> HttpResponse:
    """Make or change the one check-in for `day` (today unless given)."""
    today = person_today(request.user)
    day = day or today
    if not today - timedelta(days=CHECK_IN_DAYS_BACK) <= day <= today:
        raise Http404
    data = request.POST if request.method == "POST" else None
    form = CheckInForm(data, instance=CheckIn.objects.for_day(request.user, day))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Your check-in for {day_name(day, today)} is saved.")
        return redirect("journal:index")
    week = [today - timedelta(days=back) for back in range(7)]
    context = {
        "form": form,
        "day": day,
        "day_name": day_name(day, today),
        "other_days": [(other, day_name(other, today)) for other in week if other != day],
    }
    return render(request, "journal/check_in.html", context)


def day_name(day: date, today: date) -> str:
    if day == today:
        return "today"
    if day == today - timedelta(days=1):
        return "yesterday"
    return date_format(day, "l j F")


@require_POST
@sent_once
def save_result(request: HttpRequest) -> HttpResponse:
    """Save the self-check result in this visitor's session to their journal, once."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("triage:result"))
    answers = get_answers(request.session)
    if not has_result(answers):
        return redirect(first_unanswered_url(answers))
    if saved_check_id(request.session, request.user.pk, answers) is None:
        check = SavedCheck.objects.save_result(request.user, answers, assess(answers))
        mark_saved(request.session, request.user.pk, answers, check.pk)
    messages.success(request, "This result is saved in your journal.")
    return redirect("triage:result")


@require_GET
@login_required
def saved_check(request: HttpRequest, pk: int) -> HttpResponse:
    check = get_object_or_404(SavedCheck.objects.for_user(request.user), pk=pk)
    answers, rows = readable_answers(check.answers)
    return render(
        request,
        "journal/saved_check.html",
        {
            "check": check,
            "level_label": level_label(check.level),
            "rows": rows,
            "assessment": assess(answers),
        },
    )


@dataclass(frozen=True)
class Deletion:
    """What the one confirm-then-delete page says, and does, for one kind of record a
    person owns: `model.objects.for_user(user)` holds a person's own."""

    model: type[models.Model]
    title: str
    describe: Callable[[Any], str]
    button: str
    back_text: str
    back_url: Callable[[Any], str]
    deleted: str
    then: str
    # What confirming does: deletes the record, or, for a record kept to show what
    # happened to it (a revoked share link), marks it.
    act: Callable[[Any], object] = lambda record: record.delete()


ENTRY_DELETION = Deletion(
    model=Entry,
    title="Delete this entry?",
    describe=lambda entry: (
        f"{entry.get_region_display()} ({entry.get_side_display().lower()}) on "
        f"{date_format(timezone.localtime(entry.occurred_at), 'l j F Y, H:i')}."
    ),
    button="Yes, delete this entry",
    back_text="Back to your journal",
    back_url=lambda entry: reverse("journal:index"),
    deleted="The entry is deleted.",
    then="journal:index",
)
SAVED_CHECK_DELETION = Deletion(
    model=SavedCheck,
    title="Delete this saved result?",
    describe=lambda check: (
        f"Your self-check result from "
        f"{date_format(timezone.localtime(check.created_at), 'j F Y, H:i')}: "
        f"{level_label(check.level)}."
    ),
    button="Yes, delete this result",
    back_text="Back to the saved result",
    back_url=lambda check: reverse("journal:saved_check", args=[check.pk]),
    deleted="The saved result is deleted.",
    then="journal:index",
)
CHECK_IN_DELETION = Deletion(
    model=CheckIn,
    title="Delete this check-in?",
    describe=lambda check_in: f"Your check-in for {date_format(check_in.day, 'l j F Y')}.",
    button="Yes, delete this check-in",
    back_text="Back to your journal",
    back_url=lambda check_in: reverse("journal:index"),
    deleted="The check-in is deleted.",
    then="journal:index",
)
PLAN_DELETION = Deletion(
    model=Plan,
    title="Delete this plan?",
    describe=lambda plan: (
        f"Your self-care plan from {date_format(plan.started_on, 'l j F Y')}, with every "
        "day you ticked off in it. Your journal entries stay."
    ),
    button="Yes, delete this plan",
    back_text="Back to your self-care plan",
    back_url=lambda plan: reverse("journal:plan"),
    deleted="The plan and the days you ticked off in it are deleted.",
    then="journal:plan",
)


@require_http_methods(["GET", "POST"])
@login_required
def confirm_delete(request: HttpRequest, pk: int, deletion: Deletion) -> HttpResponse:
    """Ask, then delete one of the person's records (with, through CASCADE, its parts)."""
    record = get_object_or_404(deletion.model.objects.for_user(request.user), pk=pk)
    if request.method == "POST":
        deletion.act(record)
        messages.success(request, deletion.deleted)
        return redirect(deletion.then)
    context = {
        "deletion": deletion,
        "summary": deletion.describe(record),
        "back_url": deletion.back_url(record),
    }
    return render(request, "journal/confirm_delete.html", context)
