"""Answering htmx: part of a page for a swap, the whole page for anything else."""

from django.http import HttpRequest
from django.views.decorators.vary import vary_on_headers

vary_on_htmx = vary_on_headers("HX-Request", "HX-History-Restore-Request")


def swaps_part(request: HttpRequest) -> bool:
    """htmx asks for part of the page to swap in.

    A history restore (the browser going back to an address htmx pushed) needs the
    whole page, as does any request without htmx.
    """
    return bool(request.htmx) and not request.htmx.history_restore_request
