from collections.abc import Mapping

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from config.htmx import render_part, vary_on_htmx
from content.pages import Page, get_pages
from content.search import MAX_QUERY, search
from triage.engine import earlier_versions, get_ruleset

SESSION_DAYS = settings.SESSION_COOKIE_AGE // (60 * 60 * 24)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "content/home.html", {"pages": list(get_pages().values())[:6]})


@require_GET
def read(request: HttpRequest) -> HttpResponse:
    return render(request, "content/index.html", {"pages": list(get_pages().values())})


@require_GET
def page(request: HttpRequest, slug: str) -> HttpResponse:
    pages = get_pages()
    if slug not in pages:
        raise Http404("No such page.")
    return render(request, "content/page.html", page_context(request, pages, slug))


def page_context(request: HttpRequest, pages: Mapping[str, Page], slug: str) -> dict[str, object]:
    current_page = pages[slug]
    canonical = absolute(request, reverse("content:page", args=[slug]))
    return {
        "page": current_page,
        "related": [pages[related] for related in current_page.related],
        "canonical": canonical,
        "structured": structured_data(current_page, canonical),
        "ruleset_version": get_ruleset().version,
    }


def structured_data(page: Page, url: str) -> dict[str, object]:
    """schema.org MedicalWebPage for the page, as search engines read it."""
    return {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": page.title,
        "description": page.summary,
        "url": url,
        "lastReviewed": page.last_reviewed.isoformat(),
        "inLanguage": "en-GB",
        "audience": {"@type": "PeopleAudience", "audienceType": "Patient"},
    }


@vary_on_htmx
@require_GET
def search_pages(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:MAX_QUERY].strip()
    hits = search(list(get_pages().values()), query) if query else []
    return render_part(request, "content/search.html", "results", {"query": query, "hits": hits})


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    ruleset = get_ruleset()
    context = {
        "ruleset": ruleset,
        "earlier_versions": earlier_versions(),
        "pages": list(get_pages().values()),
        "checked_against": [
            ruleset.source(s) for s in ("nhs_twitching", "nice_ng42", "bfs_cohort")
        ],
    }
    return render(request, "content/trust/about.html", context)


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "content/trust/privacy.html", {"session_days": SESSION_DAYS})


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "content/trust/accessibility.html")


@require_GET
def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "content/trust/contact.html", {"email": settings.CONTACT_EMAIL})


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /journal/",
        "Disallow: /check/q/",
        "Disallow: /admin/",
        f"Sitemap: {absolute(request, reverse('content:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def absolute(request: HttpRequest, path: str) -> str:
    return (settings.SITE_URL + path) if settings.SITE_URL else request.build_absolute_uri(path)
