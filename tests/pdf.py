"""Reading a PDF the site sends as a person would: its words, in order."""

import io
import re

from pypdf import PdfReader


def pdf_text(content: bytes) -> str:
    """The text of every page, each line break a space (a break after a dash joins the words)."""
    pages = PdfReader(io.BytesIO(content)).pages
    text = "\n".join(page.extract_text() for page in pages)
    return words(re.sub(r"([-–])\n", r"\1", text))


def words(text: str) -> str:
    return " ".join(text.split())
