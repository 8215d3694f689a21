"""Answering htmx: part of a page for a swap, the whole page for anything else.

The one rule: a page's template marks the part htmx swaps with `{% partialdef %}`, and
the view renders `template#part` when htmx asks for it (`render_part`).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.vary import vary_on_headers

vary_on_htmx = vary_on_headers("HX-Request", "HX-History-Restore-Request")


def swaps_part(request: HttpRequest) -> bool:
    """htmx asks for part of the page to swap in.

    A history restore (the browser going back to an address htmx pushed) needs the
    whole page, as does any request without htmx.
    """
    return bool(request.htmx) and not request.htmx.history_restore_request


def render_part(
    request: HttpRequest, template: str, part: str, context: dict, *, status: int = 200
) -> HttpResponse:
    """`template`, or only its partial `part` when htmx asks to swap part of the page."""
    name = f"{template}#{part}" if swaps_part(request) else template
    return render(request, name, context, status=status)
