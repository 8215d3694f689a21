"""Read a page as a person sees it: its words, its tables and the choices already made."""

import re
from html.parser import HTMLParser

# Tags that start a new line on screen; text either side of them never runs together.
BLOCKS = frozenset(
    {
        *("address", "article", "aside", "br", "caption", "dd", "div", "dl", "dt", "fieldset"),
        *("figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6"),
        *("header", "hr", "label", "legend", "li", "main", "nav", "ol", "option", "p"),
        *("section", "select", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"),
    }
)
HIDDEN = frozenset({"head", "script", "style", "template", "title"})


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.tables: list[tuple[list[str], list[list[list[str]]]]] = []
        self.cell: list[str] | None = None
        self.in_caption = False
        self.chosen: list[tuple[str, str]] = []
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in HIDDEN:
            self.hidden += 1
        if tag in BLOCKS:
            self.parts.append("\n")
        if tag == "table":
            self.tables.append(([], []))
        elif tag == "caption" and self.tables:
            self.in_caption = True
        elif tag == "tr" and self.tables:
            self.tables[-1][1].append([])
        elif tag in ("th", "td") and self.tables and self.tables[-1][1]:
            self.cell = []
            self.tables[-1][1][-1].append(self.cell)
        elif tag == "input" and "checked" in found:
            self.chosen.append((found.get("name") or "", found.get("value") or "on"))
        elif tag == "select":
            self.select = found.get("name")
        elif tag == "option" and "selected" in found and self.select:
            self.chosen.append((self.select, found.get("value") or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN:
            self.hidden -= 1
        if tag in BLOCKS:
            self.parts.append("\n")
        if tag in ("th", "td"):
            self.cell = None
        elif tag == "caption":
            self.in_caption = False
        elif tag == "select":
            self.select = None

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        self.parts.append(data)
        if self.in_caption:
            self.tables[-1][0].append(data)
        elif self.cell is not None:
            self.cell.append(data)


def _read(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def _words(parts: list[str]) -> str:
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def visible_text(html: str) -> str:
    """The page's words in order, one space between them, with no markup."""
    return _words(_read(html).parts)


def table_rows(html: str, caption: str) -> list[list[str]]:
    """The rows of the table whose caption starts with `caption`, each a list of cell texts."""
    for words, rows in _read(html).tables:
        if _words(words).startswith(caption):
            return [[_words(cell) for cell in row] for row in rows]
    raise AssertionError(f"No table captioned {caption!r}")


def chosen(html: str, name: str) -> set[str]:
    """The values already ticked or selected for the form field `name`."""
    return {value for field, value in _read(html).chosen if field == name}
