"""The front end: GOV.UK Frontend built with the site's own look, kept lean."""

import gzip
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

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
