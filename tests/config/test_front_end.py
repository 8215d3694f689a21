"""The front end: GOV.UK Frontend built with the site's own look, kept lean."""

import gzip
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from triage.engine import get_ruleset
from triage.forms import AnswerForm

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


def test_the_components_come_from_govuk_frontend_and_bootstrap_is_gone():
    package = json.loads((ROOT / "package.json").read_text())
    assert "govuk-frontend" in package["dependencies"]
    everything = {**package["dependencies"], **package.get("devDependencies", {})}
    assert not [name for name in everything if "bootstrap" in name]
    assert "crispy_bootstrap5" not in settings.INSTALLED_APPS


def test_the_stylesheet_uses_system_fonts_and_no_government_typeface():
    css = Path(finders.find("build/site.css")).read_text()
    assert ".govuk-button" in css
    assert "GDS Transport" not in css
    assert "@font-face" not in css
    assert "system-ui" in css


@pytest.mark.parametrize("url", ["/", "/check/", "/read/faq/"])
def test_pages_carry_the_sites_own_name_and_no_crown(client, url):
    html = client.get(url).content.decode()
    assert '<a class="govuk-generic-header__homepage-link" href="/">Twitch Check</a>' in html
    assert "crown" not in html.lower()
    assert "GOV.UK" not in html


def wire_size(path: str) -> int:
    """Bytes sent for a static file, compressed as whitenoise serves it."""
    return len(gzip.compress(Path(finders.find(path)).read_bytes(), compresslevel=9))


def test_an_explainer_page_with_everything_it_loads_is_under_100_kb_on_the_wire(client):
    response = client.get("/read/red-flags/")
    html = response.content.decode()
    assets = re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', html)
    assets += re.findall(r'<script src="/static/([^"]+)"', html)
    assert "build/site.css" in assets
    total = len(gzip.compress(response.content, compresslevel=9))
    total += sum(wire_size(asset) for asset in assets)
    assert total < 100_000, f"{total:,} bytes"


def field_templates() -> set[Path]:
    """Templates crispy-forms renders fields with: the GOV.UK pack, and any template a
    form's layout names (the self-check's question, whose legend is the page heading)."""
    pack = set((ROOT / "templates" / "govuk").rglob("*.html"))
    named = {ROOT / "templates" / "triage" / "_question_field.html"}
    return pack | named


def test_every_form_field_renders_through_crispy_forms():
    written_by_hand = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for path in (ROOT / "templates").rglob("*.html")
        if path not in field_templates()
        for line in path.read_text().splitlines()
        if re.search(r"<(select|textarea)\b", line)
        or (re.search(r"<input\b", line) and 'type="hidden"' not in line)
    ]
    assert written_by_hand == []


def test_the_question_template_is_the_one_its_form_names():
    form = AnswerForm(get_ruleset().questions[0])
    assert form.helper.layout[0].template == "triage/_question_field.html"
