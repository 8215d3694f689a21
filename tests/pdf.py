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


def pdf_structure(content: bytes) -> tuple[str, list[str]]:
    """The language a screen reader is told, and the structure tags (headings, lists,
    tables) in reading order; a PDF without tags has neither."""
    catalog = PdfReader(io.BytesIO(content)).trailer["/Root"]
    tags: list[str] = []

    def walk(node) -> None:
        node = node.get_object()
        if not isinstance(node, dict):
            return
        if "/S" in node:
            tags.append(str(node["/S"]).removeprefix("/"))
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            walk(kid)

    if catalog.get("/MarkInfo", {}).get("/Marked"):
        walk(catalog["/StructTreeRoot"])
    return str(catalog.get("/Lang", "")), tags
