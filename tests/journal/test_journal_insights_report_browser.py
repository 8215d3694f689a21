"""The doctor report printed from Chromium: a month of twitches on 2 A4 pages, the summary first."""

import io

import pytest
from pypdf import PdfReader

from tests.conftest import sign_in
from tests.journal.report_data import typical_month
from tests.pdf import words
from triage.engine import get_ruleset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_month_prints_on_two_pages_with_the_summary_first(page, live_server):
    sign_in(page, live_server, typical_month())
    page.goto("/journal/report/")
    printed = PdfReader(io.BytesIO(page.pdf(format="A4")))
    assert len(printed.pages) == 2
    first = words(printed.pages[0].extract_text())
    assert "Dates covered" in first
    assert "Where Calf 28 (left 14, right 14)" in first
    assert words(get_ruleset().question("wasting").text) in first
    assert "Show these dates" not in first
    assert "Patterns and red flags" not in first
    assert "Emergency?" not in words(printed.pages[1].extract_text())
