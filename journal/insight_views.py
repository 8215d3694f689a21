"""Patterns, red flags, the self-care plan, the doctor report, export and import.

Every view reads only the signed-in person's own journal; an object id is looked up
among the person's own objects only.
"""

import io
from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import throttles
from config.htmx import render_part, swaps_part, vary_on_htmx
from config.pdf import pdf_response
from journal import services
from journal.exports import export_csv, export_json
from journal.fhir import export_fhir
from journal.flags import journal_flags
from journal.forms import DayChecksForm, ImportForm, ReportRangeForm
from journal.models import JournalImport, Plan
from journal.patterns import recent_patterns
from journal.plan import plan_end, plan_progress, plan_steps
from journal.report import default_dates, doctor_report
from journal.timezones import person_today, person_tz
from reliability.once import sent_once
from triage.engine import get_ruleset


@require_GET
@login_required
def patterns(request: HttpRequest) -> HttpResponse:
    context = {"patterns": recent_patterns(request.user), "flags": journal_flags(request.user)}
    return render(request, "journal/insights/patterns.html", context)


def _plan_context(request: HttpRequest, plan: Plan | None, today: date, day: date | None) -> dict:
    context = {
        "plan": plan,
        "steps": plan_steps(),
        "today": today,
        "if_no_better": get_ruleset().level("self_care").if_worse,
        "aim": get_ruleset().self_care_plan,
    }
    if plan is None:
        return context
    progress = plan_progress(plan, today, person_tz(request.user))
    if progress.upcoming:
        return context | {"progress": progress}
    last_day = min(today, plan_end(plan))
    if day is None or not plan.started_on <= day <= last_day:
        day = last_day
    chosen = progress.day(day)
    form = DayChecksForm(initial={"day": day, "steps": sorted(chosen.done)}, plan=plan, today=today)
    return context | {"progress": progress, "form": form, "chosen": chosen}


def _day(value: str | None) -> date | None:
    """The day a query string names as YYYY-MM-DD, or None for none or a wrong one."""
    try:
        return parse_date(value or "")
    except ValueError:  # well formed, but no such day
        return None


@require_GET
@login_required
def plan(request: HttpRequest) -> HttpResponse:
    today = person_today(request.user)
    plan = Plan.objects.for_user(request.user).current(today)
    context = _plan_context(request, plan, today, _day(request.GET.get("day")))
    return render(request, "journal/insights/plan.html", context)


@require_POST
@login_required
@sent_once
def plan_start(request: HttpRequest) -> HttpResponse:
    Plan.objects.create(user=request.user, started_on=person_today(request.user))
    messages.success(request, "Your 28-day self-care plan starts today.")
    return redirect("journal:plan")


@require_POST
@login_required
def plan_check(request: HttpRequest) -> HttpResponse:
    today = person_today(request.user)
    plan = Plan.objects.for_user(request.user).current(today)
    if plan is None or plan.started_on > today:
        return redirect("journal:plan")
    form = DayChecksForm(request.POST, plan=plan, today=today)
    if not form.is_valid():
        context = _plan_context(request, plan, today, _day(request.POST.get("day")))
        context["errors"] = [error for errors in form.errors.values() for error in errors]
        return render_part(request, "journal/insights/plan.html", "tracker", context, status=400)
    form.save()
    day = form.cleaned_data["day"]
    if not swaps_part(request):
        messages.success(request, f"Saved your steps for {day:%A %-d %B}.")
        return redirect(f"{reverse('journal:plan')}?day={day}")
    context = _plan_context(request, plan, today, day) | {"just_saved": True}
    return render(request, "journal/insights/plan.html#tracker", context)


@require_POST
@login_required
def plan_finish(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.for_user(request.user), pk=pk)
    plan.finish(person_today(request.user))
    messages.success(request, "Your plan is ended. The days you ticked off are kept.")
    return redirect("journal:plan")


@require_GET
@login_required
def report(request: HttpRequest) -> HttpResponse:
    context = _report_context(request)
    dates = {"from": context["patterns"].start, "to": context["patterns"].end}
    context["pdf_url"] = f"{reverse('journal:report_pdf')}?{urlencode(dates)}"
    return render(request, "journal/insights/report.html", context)


@require_GET
@login_required
def report_pdf(request: HttpRequest) -> HttpResponse:
    """The doctor report for the same dates as the page, as a PDF."""
    context = _report_context(request)
    name = f"twitch-check-report-{context['patterns'].end}.pdf"
    return pdf_response(request, "journal/insights/report_pdf.html", context, filename=name)


def _report_context(request: HttpRequest) -> dict:
    """The dates asked for (the last 28 days if none, or if they are wrong) and their report."""
    default = default_dates(request.user)
    asked = ReportRangeForm.asked(request.GET)
    form = ReportRangeForm(request.GET if asked else None, initial=default)
    dates = form.cleaned_data if asked and form.is_valid() else default
    found = doctor_report(user=request.user, start=dates["from"], end=dates["to"])
    return {"form": form, **vars(found)}


def _download(content: str, content_type: str, filename: str) -> FileResponse:
    response = FileResponse(
        io.BytesIO(content.encode()),
        as_attachment=True,
        filename=filename,
        content_type=content_type,
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@login_required
def export_journal_csv(request: HttpRequest) -> HttpResponse:
    name = f"twitch-journal-{person_today(request.user)}.csv"
    return _download(export_csv(request.user), "text/csv; charset=utf-8", name)


@require_GET
@login_required
def export_journal_json(request: HttpRequest) -> HttpResponse:
    name = f"twitch-journal-{person_today(request.user)}.json"
    return _download(export_json(request.user), "application/json", name)


@require_GET
@login_required
def export_journal_fhir(request: HttpRequest) -> HttpResponse:
    """The journal as a FHIR R4 Bundle, for health records that read FHIR."""
    name = f"twitch-journal-{person_today(request.user)}.fhir.json"
    return _download(export_fhir(request.user), "application/fhir+json", name)


UNFINISHED_IMPORT = (
    "Your last import is still being saved. Import another file when it has finished."
)


@require_http_methods(["GET", "POST"])
@login_required
def import_data(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and not throttles.allow(
        throttles.IMPORTS, f"account:{request.user.pk}"
    ):
        return throttles.refused(request, throttles.IMPORTS)
    unfinished = JournalImport.objects.for_user(request.user).unfinished().first()
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    result = None
    if request.method == "POST" and form.is_valid():
        if unfinished:
            form.add_error("file", UNFINISHED_IMPORT)
        else:
            result, upload = services.journal_import_start(
                user=request.user, data=form.cleaned_data["file"]
            )
            if upload:
                return redirect("journal:import_status", pk=upload.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "result": result, "unfinished": unfinished}
    return render(request, "journal/insights/import.html", context, status=status)


@vary_on_htmx
@require_GET
@login_required
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    upload = get_object_or_404(JournalImport.objects.for_user(request.user), pk=pk)
    context = {"upload": upload, "saved_so_far": services.import_saved_so_far(upload=upload)}
    return render_part(request, "journal/insights/import_status.html", "status", context)
