"""Whole-page caching: pages shared by every visitor who is not signed in, and a signed-in
person's own pages, each reused until what they show changes.

The cached HTML holds a placeholder where the CSRF token goes; each response gets the
visitor's own token, so no two responses ever share one.
"""

import hashlib
from collections.abc import Callable, Iterable, Mapping

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string

Context = Mapping[str, object] | Callable[[], Mapping[str, object]]
TOKEN_PLACEHOLDER = "csrf-token-placeholder-3f9c1d"  # noqa: S105 - not a secret
SHARED_TIMEOUT = 60 * 60
# Short enough that windows such as "the last 7 days" move on within minutes.
PRIVATE_TIMEOUT = 5 * 60


def render_shared(
    request: HttpRequest, template: str, context: Context, version: Iterable[object]
) -> HttpResponse:
    """Render `template`, reusing the HTML rendered for the same path and `version`.

    `version` names everything the page depends on besides the path (content hashes,
    the ruleset, the answers so far). `context` may be a function, called only when the
    page must be rendered. Signed-in people and pending messages are always rendered
    afresh.
    """
    if request.user.is_authenticated or len(get_messages(request)):
        return render_fresh(request, template, context)
    return render_cached(request, template, context, ("shared", *version), SHARED_TIMEOUT)


def render_private(
    request: HttpRequest, template: str, context: Context, version: Iterable[object]
) -> HttpResponse:
    """Render a signed-in person's own page, reusing the HTML last rendered for them.

    The signed-in person is always part of the key. `version` must name everything else
    the page shows (for the journal: its version, which every write changes, and the
    person's time zone). Pending messages are always rendered afresh.
    """
    if not request.user.is_authenticated:
        raise ValueError("render_private needs a signed-in person.")
    if len(get_messages(request)):
        return render_fresh(request, template, context)
    parts = ("private", request.user.pk, *version)
    return render_cached(request, template, context, parts, PRIVATE_TIMEOUT)


def render_fresh(request: HttpRequest, template: str, context: Context) -> HttpResponse:
    return HttpResponse(render_to_string(template, resolve_context(context), request))


def render_cached(
    request: HttpRequest,
    template: str,
    context: Context,
    version: Iterable[object],
    timeout: int,
) -> HttpResponse:
    # Keyed on the HX-Request header itself, as Django's cache keys its Vary headers:
    # templates may show more to htmx requests.
    htmx = request.META.get("HTTP_HX_REQUEST")
    parts = (template, request.get_full_path(), htmx, *version)
    key = "page:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        context = {**resolve_context(context), "csrf_token": TOKEN_PLACEHOLDER}
        html = render_to_string(template, context, request)
        cache.set(key, html, timeout)
    if TOKEN_PLACEHOLDER in html:
        html = html.replace(TOKEN_PLACEHOLDER, get_token(request))
    return HttpResponse(html)


def resolve_context(context: Context) -> Mapping[str, object]:
    return context() if callable(context) else context
