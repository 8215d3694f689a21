from collections.abc import Mapping

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from config.htmx import swaps_part, vary_on_htmx
from config.page_cache import render_shared
from content.pages import Page, current
from content.search import MAX_QUERY, search


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    pages, version = current()
    return render_shared(request, "content/home.html", {"pages": list(pages.values())[:6]}, version)


@require_GET
def read(request: HttpRequest) -> HttpResponse:
    pages, version = current()
    return render_shared(request, "content/index.html", {"pages": list(pages.values())}, version)


@require_GET
def page(request: HttpRequest, slug: str) -> HttpResponse:
    pages, version = current()
    if slug not in pages:
        raise Http404("No such page.")
    return render_shared(
        request, "content/page.html", lambda: page_context(request, pages, slug), version
    )


def page_context(request: HttpRequest, pages: Mapping[str, Page], slug: str) -> dict[str, object]:
    current_page = pages[slug]
    canonical = absolute(request, reverse("content:page", args=[slug]))
    return {
        "page": current_page,
        "related": [pages[related] for related in current_page.related],
        "canonical": canonical,
        "structured": structured_data(current_page, canonical),
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
    pages, version = current()
    template = "content/search.html#results" if swaps_part(request) else "content/search.html"
    return render_shared(
        request,
        template,
        lambda: {"query": query, "hits": search(list(pages.values()), query) if query else []},
        version,
    )


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
