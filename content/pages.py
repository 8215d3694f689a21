"""Explainer pages: Markdown files with front matter, read once when the site starts.

Blocks such as the red-flag table are never typed into a page: a line holding
`[[block:red_flags]]` is replaced with the block rendered from the rules engine.
"""

import datetime
import hashlib
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import markdown
import nh3
import yaml
from django.apps import apps
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from triage.engine import Ruleset, get_ruleset

PAGES_DIR = Path(__file__).with_name("pages")
BLOCKS = (
    "red_flags",
    "checklist",
    "action_levels",
    "eyelid_advice",
    "self_care_plan",
    "emergency_signs",
)
EMERGENCY_LEAD = "[[block:emergency_signs]]"
BLOCK_LINE = re.compile(r"<p>\[\[block:(?P<name>[a-z_]+)\]\]</p>")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ALLOWED_TAGS = {
    "h2", "h3", "h4", "p", "ul", "ol", "li", "a", "strong", "em", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "caption", "hr", "br", "code", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "a": {"href", "title"},
                      "th": {"scope"}, "abbr": {"title"}}  # fmt: skip


class PageError(ValueError):
    """A page file cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Heading:
    id: str
    text: str


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    summary: str
    order: int
    last_reviewed: datetime.date
    sources: tuple[dict[str, str], ...]
    related: tuple[str, ...]
    cta: str
    content_hash: str
    body: str = field(repr=False)
    text: str = field(repr=False)
    body_html: str = field(repr=False)
    headings: tuple[Heading, ...] = field(repr=False)

    @property
    def html(self) -> SafeString:
        return mark_safe(self.lead_html + self.main_html)  # noqa: S308 - both parts are safe

    @property
    def leads_with_emergency(self) -> bool:
        """Emergency signs open the page: nothing, not even a contents list, goes above them."""
        return self.body.lstrip().startswith(EMERGENCY_LEAD)

    @property
    def lead_html(self) -> SafeString:
        """The emergency panel a page opens with, or nothing."""
        if not self.leads_with_emergency:
            return mark_safe("")
        return render_block("emergency_signs", get_ruleset())

    @property
    def main_html(self) -> SafeString:
        """The body after any opening emergency panel: where the contents list may go above.

        Blocks are drawn from the ruleset as the page is shown, so they always match it.
        """
        body_html = self.body_html
        if self.leads_with_emergency:
            body_html = BLOCK_LINE.sub("", body_html, count=1)
        ruleset = get_ruleset()
        return mark_safe(  # noqa: S308 - sanitised by nh3; blocks are autoescaped templates
            BLOCK_LINE.sub(lambda m: render_block(m["name"], ruleset), body_html)
        )


def parse_page(slug: str, raw: str) -> Page:
    where = f"content/pages/{slug}.md"
    if not SLUG.match(slug):
        raise PageError(f"{where}: the file name must be lowercase words joined by hyphens.")
    try:
        post = frontmatter.loads(raw)
    except (yaml.YAMLError, ValueError) as error:
        raise PageError(f"{where}: the front matter is not valid YAML ({error}).") from error
    meta = post.metadata
    for key in ("title", "summary", "order", "last_reviewed", "sources"):
        if not meta.get(key):
            raise PageError(f"{where}: front matter needs '{key}'.")
    if not isinstance(meta["last_reviewed"], datetime.date):
        raise PageError(f"{where}: 'last_reviewed' must be a date like 2026-11-25.")
    if not isinstance(meta["order"], int):
        raise PageError(f"{where}: 'order' must be a whole number.")
    sources = meta["sources"]
    if not isinstance(sources, list) or not all(
        isinstance(s, dict) and s.get("title") for s in sources
    ):
        raise PageError(f"{where}: each source needs a 'title'.")
    cta = meta.get("cta", "selfcheck")
    if cta not in {"selfcheck", "journal", "none"}:
        raise PageError(f"{where}: 'cta' must be selfcheck, journal or none.")
    for name in re.findall(r"\[\[block:([^\]]*)\]\]", post.content):
        if name not in BLOCKS:
            raise PageError(f"{where}: unknown block '{name}' (known: {', '.join(BLOCKS)}).")
    body = post.content
    body_html, headings = render_markdown(body)
    return Page(
        slug=slug,
        title=str(meta["title"]),
        summary=str(meta["summary"]),
        order=meta["order"],
        last_reviewed=meta["last_reviewed"],
        sources=tuple({k: str(v) for k, v in s.items()} for s in sources),
        related=tuple(meta.get("related") or ()),
        cta=cta,
        content_hash=hashlib.sha256(raw.encode()).hexdigest()[:16],
        body=body,
        text=_plain_text(body),
        body_html=body_html,
        headings=headings,
    )


def load_pages(directory: Path = PAGES_DIR) -> dict[str, Page]:
    """Every page in the directory, in reading order; raises PageError for a broken one."""
    pages = [
        parse_page(path.stem, path.read_text(encoding="utf-8"))
        for path in sorted(directory.glob("*.md"))
    ]
    by_slug = {page.slug: page for page in sorted(pages, key=lambda p: (p.order, p.title))}
    for page in by_slug.values():
        for slug in page.related:
            if slug not in by_slug:
                raise PageError(f"content/pages/{page.slug}.md: related page '{slug}' not found.")
    return by_slug


def get_pages() -> dict[str, Page]:
    """The pages as read when the site started (see `ContentConfig.ready`)."""
    return apps.get_app_config("content").pages


def render_markdown(body: str) -> tuple[str, tuple[Heading, ...]]:
    """Sanitised HTML for a page body, and its second-level headings for the contents list."""
    md = markdown.Markdown(extensions=["toc", "tables", "sane_lists"])
    rendered = nh3.clean(
        md.convert(body), tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel=None
    )
    headings = tuple(
        Heading(id=token["id"], text=html.unescape(token["name"]))
        for token in md.toc_tokens
        if token["level"] == 2
    )
    return rendered, headings


def render_block(name: str, ruleset: Ruleset) -> SafeString:
    return render_to_string(f"content/blocks/{name}.html", {"ruleset": ruleset})


def _plain_text(body: str) -> str:
    text = re.sub(r"\[\[block:[a-z_]+\]\]", " ", body)
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    text = re.sub(r"[#*_>`|]", " ", text)
    return re.sub(r"\s+", " ", text).strip()
