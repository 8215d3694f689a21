"""The owner's share links, and the report each opens for someone without an account.

A shared page answers the same 404 as any unknown address for every token that opens
nothing (mistyped, made up, expired, revoked, or its account deleted), and counts every
request against the visitor's address, so tokens cannot be tried in bulk.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods

from accounts import throttles
from accounts.lockout import client_address
from config.pdf import pdf_response
from journal.report import doctor_report
from journal.views import Deletion
from reliability.once import sent_once
from sharing.forms import ShareLinkForm
from sharing.models import ShareLink

SHARED_REPORTS = throttles.Limit(
    "shared_report",
    60,
    throttles.HOUR,
    "Too many requests",
    "Several shared reports have been opened from your network in the last hour. Please "
    "try again in an hour.",
)
NEW_LINK = "sharing_new_link"


@require_http_methods(["GET", "POST"])
@login_required
@sent_once
def links(request: HttpRequest) -> HttpResponse:
    dates = {"report_from": request.GET.get("from", ""), "report_to": request.GET.get("to", "")}
    form = ShareLinkForm(request.POST or None, user=request.user, initial=dates)
    if request.method == "POST" and form.is_valid():
        link, token = form.save()
        request.session[NEW_LINK] = request.build_absolute_uri(
            reverse("sharing:shared", args=[token])
        )
        messages.success(request, f"Your link is made. It works until {_when(link.expires_at)}.")
        return redirect("sharing:links")
    start, end = form.dates()
    context = {
        "form": form,
        "start": start,
        "end": end,
        "new_link": request.session.pop(NEW_LINK, None) if request.method == "GET" else None,
        "links": ShareLink.objects.for_user(request.user),
    }
    return render(request, "sharing/links.html", context, status=400 if form.errors else 200)


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")


REVOCATION = Deletion(
    model=ShareLink,
    title="Stop this link working?",
    describe=lambda link: (
        f"The link you made on {_when(link.created_at)} to your report for "
        f"{date_format(link.report_from, 'j F Y')} to {date_format(link.report_to, 'j F Y')}. "
        "Anyone who opens it after this will see a page saying it was not found."
    ),
    button="Yes, stop this link",
    back_text="Back to your share links",
    back_url=lambda link: reverse("sharing:links"),
    deleted="The link no longer works.",
    then="sharing:links",
    act=lambda link: link.revoke(),
)


def shared_report(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Count the request, find the link its token opens (or answer 404), note it opened,
    and keep the answer out of caches, search engines and Referer headers."""

    @wraps(view)
    def wrapped(request: HttpRequest, token: str) -> HttpResponse:
        address = f"address:{client_address(request)}"
        if not throttles.allow(SHARED_REPORTS, address):
            return throttles.refused(request, SHARED_REPORTS, address)
        link = ShareLink.objects.find(token)
        if link is None:
            raise Http404
        link.opened()
        response = view(request, link, token)
        response["Cache-Control"] = "no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
        return response

    return wrapped


def _report_context(link: ShareLink) -> dict:
    found = doctor_report(user=link.user, start=link.report_from, end=link.report_to)
    return {"link": link, **vars(found)}


@require_GET
@shared_report
def shared(request: HttpRequest, link: ShareLink, token: str) -> HttpResponse:
    context = _report_context(link) | {"pdf_url": reverse("sharing:shared_pdf", args=[token])}
    return render(request, "sharing/shared.html", context)


@require_GET
@shared_report
def shared_pdf(request: HttpRequest, link: ShareLink, token: str) -> HttpResponse:
    name = f"twitch-check-report-{link.report_to}.pdf"
    context = _report_context(link)
    return pdf_response(request, "journal/insights/report_pdf.html", context, filename=name)
