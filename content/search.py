"""Site search over every explainer page: ranked by where the words appear."""

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from content.pages import Page

WEIGHTS = {"title": 10, "summary": 4, "text": 1}
SNIPPET_CHARS = 90
MAX_QUERY = 200


@dataclass(frozen=True)
class Hit:
    page: Page
    score: int
    snippet: SafeString


def terms_of(query: str) -> list[str]:
    words = re.findall(r"\w+", query.lower()[:MAX_QUERY])
    return [word for word in dict.fromkeys(words) if len(word) > 1 or word.isdigit()][:10]


def search(pages: list[Page], query: str) -> list[Hit]:
    terms = terms_of(query)
    if not terms:
        return []
    hits = []
    for page in pages:
        fields = {"title": page.title, "summary": page.summary, "text": page.text}
        score = 0
        for term in terms:
            pattern = re.compile(rf"\b{re.escape(term)}", re.IGNORECASE)
            matched = [len(pattern.findall(value)) for value in fields.values()]
            if not any(matched):
                score = 0
                break
            score += sum(WEIGHTS[name] * n for name, n in zip(fields, matched, strict=True))
        if score:
            hits.append(Hit(page=page, score=score, snippet=snippet(page.text, terms)))
    return sorted(hits, key=lambda hit: (-hit.score, hit.page.order))


def snippet(text: str, terms: list[str]) -> SafeString:
    """A short extract around the first match, escaped, with every term in <mark>."""
    pattern = re.compile("|".join(rf"\b{re.escape(term)}\w*" for term in terms), re.IGNORECASE)
    first = pattern.search(text)
    start, end = word_window(text, first.start() if first else 0)
    extract = text[start:end]
    pieces, last = [], 0
    for match in pattern.finditer(extract):
        pieces.append(escape(extract[last : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    pieces.append(escape(extract[last:]))
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)  # noqa: S308 - every piece is escaped


def word_window(text: str, at: int) -> tuple[int, int]:
    """About SNIPPET_CHARS * 2 characters of `text` around `at`, cut only between words.

    The page text has single spaces between words (see `content.pages`), so a cut that
    falls inside a word moves to the nearest space that keeps `at` in the extract.
    """
    start = max(0, at - SNIPPET_CHARS // 2)
    end = min(len(text), start + SNIPPET_CHARS * 2)
    if start and text[start - 1] != " ":
        space = text.find(" ", start, at)
        start = space + 1 if space != -1 else text.rfind(" ", 0, start) + 1
    if end < len(text) and text[end] != " ":
        space = text.rfind(" ", at, end)
        if space == -1:
            space = text.find(" ", end)
        end = space if space != -1 else len(text)
    return start, end
