"""Whole-page caching for pages that are the same for every visitor who is not signed in.

The cached HTML holds a placeholder where the CSRF token goes; each response gets the
visitor's own token, so no two visitors ever share one.
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
TIMEOUT = 60 * 60


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
        return HttpResponse(render_to_string(template, resolve_context(context), request))
    parts = (template, request.get_full_path(), bool(request.htmx), *version)
    key = "page:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        context = {**resolve_context(context), "csrf_token": TOKEN_PLACEHOLDER}
        html = render_to_string(template, context, request)
        cache.set(key, html, TIMEOUT)
    return HttpResponse(html.replace(TOKEN_PLACEHOLDER, get_token(request)))


def resolve_context(context: Context) -> Mapping[str, object]:
    return context() if callable(context) else context
