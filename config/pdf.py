"""Pages as PDF files, drawn by WeasyPrint from the same templates and data as the pages.

WeasyPrint is imported when a PDF is first drawn: loading it takes about half a second,
which every manage.py command and every server process would otherwise pay at start.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.contrib.staticfiles import finders
from django.http import FileResponse, HttpRequest
from django.template.loader import render_to_string

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher

PDF_STYLESHEET = "css/pdf.css"


def url_fetcher() -> URLFetcher:
    """A fetcher for `data:` addresses alone: making a PDF reaches no host and no file."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",))


def pdf_response(
    request: HttpRequest, template: str, context: dict, *, filename: str
) -> FileResponse:
    """`template` rendered for `request`, as a PDF to download named `filename`.

    The stylesheet is read through the static files finders and handed over whole, so
    nothing needs fetching.
    """
    from weasyprint import CSS, HTML

    html = render_to_string(template, context, request=request)
    fetcher = url_fetcher()
    stylesheet_path = finders.find(PDF_STYLESHEET)
    with open(stylesheet_path, encoding="utf-8") as stylesheet:
        css = CSS(string=stylesheet.read(), url_fetcher=fetcher)
    document = HTML(string=html, base_url=request.build_absolute_uri("/"), url_fetcher=fetcher)
    # Tagged, so that a screen reader finds the headings, lists and tables in order.
    pdf = document.write_pdf(stylesheets=[css], pdf_tags=True)
    return FileResponse(
        io.BytesIO(pdf), as_attachment=True, filename=filename, content_type="application/pdf"
    )
