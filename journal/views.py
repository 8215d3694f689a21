"""The timeline, entries, self-check results saved to the journal, and deleting records.

Every view that takes an id looks it up among the signed-in person's own records
(`get_object_or_404(Model.objects.for_user(request.user), pk=pk)`), so anybody else's id
is not found.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap

from config.htmx import render_part, swaps_part, vary_on_htmx
from journal.forms import EntryForm, FilterForm, QuickAddForm
from journal.models import Entry, Plan, SavedCheck
from journal.saved_results import level_label, readable_answers
from journal.timezones import person_tz
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
SAVED_CHECKS_SHOWN = 10
QUICK_ADD_PREFIX = "quick"


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
        query = {key: value for key, value in request.POST.items() if key in FilterForm.base_fields}
        context = timeline_context(request, query) | {"message": message}
        return render(request, "journal/index.html#timeline_update", context)
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
        record.delete()
        messages.success(request, deletion.deleted)
        return redirect(deletion.then)
    context = {
        "deletion": deletion,
        "summary": deletion.describe(record),
        "back_url": deletion.back_url(record),
    }
    return render(request, "journal/confirm_delete.html", context)
