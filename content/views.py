from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from config.page_cache import render_shared
from content.pages import get_pages, site_version
from content.search import MAX_QUERY, search


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    pages = list(get_pages().values())
    return render_shared(request, "content/home.html", {"pages": pages[:6]}, site_version())


@require_GET
def read(request: HttpRequest) -> HttpResponse:
    context = {"pages": list(get_pages().values())}
    return render_shared(request, "content/index.html", context, site_version())


@require_GET
def page(request: HttpRequest, slug: str) -> HttpResponse:
    pages = get_pages()
    try:
        current = pages[slug]
    except KeyError:
        raise Http404("No such page.") from None
    canonical = absolute(request, reverse("content:page", args=[slug]))
    structured = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": current.title,
        "description": current.summary,
        "url": canonical,
        "lastReviewed": current.last_reviewed.isoformat(),
        "inLanguage": "en-GB",
        "audience": {"@type": "PeopleAudience", "audienceType": "Patient"},
    }
    context = {
        "page": current,
        "related": [pages[related] for related in current.related],
        "canonical": canonical,
        "structured": structured,
    }
    return render_shared(request, "content/page.html", context, site_version())


@require_GET
def search_pages(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:MAX_QUERY].strip()
    hits = search(list(get_pages().values()), query) if query else []
    context = {"query": query, "hits": hits}
    partial = request.htmx and not request.htmx.history_restore_request
    template = "content/search.html#results" if partial else "content/search.html"
    return render_shared(request, template, context, site_version())


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
