"""The doctor report as a PDF: the same report as the page, for a clinician, on 2 pages a month."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader

from journal.models import Region, SavedCheck
from tests.journal.factories import EntryFactory
from tests.journal.insights_data import make_person
from tests.journal.report_data import NOTE, typical_month
from tests.pdf import pdf_structure, pdf_text, words
from triage.engine import get_ruleset

pytestmark = pytest.mark.django_db

SECRET = "ana-private-note"


def report_pdf(client, query: str = "") -> str:
    response = client.get("/journal/report.pdf" + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return pdf_text(response.getvalue())


@pytest.fixture
def ana():
    ana = make_person(time_zone="UTC")
    now = datetime.now(UTC)
    for days in range(3):
        EntryFactory(
            user=ana,
            occurred_at=now - timedelta(days=days, hours=1),
            region=Region.TONGUE,
            weakness=True,
            notes=SECRET,
        )
    SavedCheck.objects.create(
        user=ana, answers={"area": "eyelid"}, level="eye_specialist", ruleset_version="ana-rules"
    )
    return ana


def test_a_month_of_twitches_fits_on_two_pages_with_the_summary_on_the_first(client):
    client.force_login(typical_month())
    pages = PdfReader(io.BytesIO(client.get("/journal/report.pdf").getvalue())).pages
    assert len(pages) == 2
    first = words(pages[0].extract_text())
    ruleset = get_ruleset()
    assert "Name: Date of birth:" in first
    assert "Dates covered" in first
    assert "Onset Twitches recorded with no gap of more than" in first
    assert "Where Calf 28 (left 14, right 14); Eyelid 14 (right 14); Thigh 14 (left 14)" in first
    assert "Weakness in that area: none of 56" in first
    assert "Average 3.9 over 28 days" in first
    assert words(ruleset.question("wasting").text) in first
    assert "Result: Book an appointment with your doctor" in first
    text = report_pdf(client)
    assert words(NOTE[:30]) in text
    assert "Caffeine 3 or more cups (14 days)" in text


def test_report_pdf_leaves_out_patient_prompts_and_the_emergency_paragraph(client, ana):
    client.force_login(ana)
    text = report_pdf(client)
    for patient_words in (
        "Red flags from your journal",
        "Based on your journal",
        "Why we suggest this",
        "Read more",
        "Do the self-check",
    ):
        assert patient_words not in text
    emergency = get_ruleset().emergency
    for sign in emergency.signs:
        assert words(sign.text) not in text
    for line in emergency.numbers:
        assert f"{line.number} {line.where}" not in text


def test_report_pdf_shows_the_journal_the_rules_result_and_the_saved_check(client, ana):
    client.force_login(ana)
    page = client.get("/journal/report/")
    text = report_pdf(client)
    assert "Twitch report for your doctor" in text
    assert "Twitches recorded 3, on 3 of the 28 days" in text
    assert SECRET in text
    assert "Tongue or mouth 3" in text
    assert "Weakness in that area: 3 of 3" in text
    flags = page.context["flags"]
    assert f"Twitch Check's rules on the journal {words(flags.assessment.level.label)}" in text
    assert "Latest saved self-check" in text
    assert "(rules version ana-rules)" in text
    assert f"Rules version {get_ruleset().version}" in text


def test_report_pdf_is_tagged_so_a_screen_reader_finds_its_headings_and_tables(client, ana):
    client.force_login(ana)
    language, tags = pdf_structure(client.get("/journal/report.pdf").getvalue())
    assert language == "en-GB"
    assert tags.count("H1") == 1
    # A table that runs onto the next page is tagged as two, so runs of tables count once.
    outline = [tag for tag in tags if tag in {"H2", "Table"}]
    outline = [tag for i, tag in enumerate(outline) if tag != "Table" or outline[i - 1] != tag]
    # The summary, then the latest saved self-check, by week and the twitches, each with
    # a table.
    assert outline == ["H2", "H2", "Table", "H2", "Table", "H2", "Table"]
    assert {"TH", "TD"} <= set(tags)


def test_report_pdf_keeps_to_the_dates_asked_for(client, ana):
    client.force_login(ana)
    EntryFactory(user=ana, occurred_at=datetime(2026, 3, 5, 10, tzinfo=UTC), notes="In March")
    text = report_pdf(client, "?from=2026-03-01&to=2026-03-31")
    assert "1 March 2026 to 31 March 2026 (31 days;" in text
    assert "In March" in text
    assert SECRET not in text


def test_report_page_links_its_pdf_for_the_same_dates(client, ana):
    client.force_login(ana)
    html = client.get("/journal/report/?from=2026-03-01&to=2026-03-31").content.decode()
    assert 'href="/journal/report.pdf?from=2026-03-01&amp;to=2026-03-31"' in html


def test_report_pdf_with_wrong_dates_shows_the_last_28_days_as_the_page_does(client, ana):
    client.force_login(ana)
    text = report_pdf(client, "?from=soon&to=")
    assert "(28 days;" in text
    assert SECRET in text


def test_report_pdf_is_private_and_downloads_as_a_file(client, ana):
    client.force_login(ana)
    response = client.get("/journal/report.pdf")
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert response["Content-Disposition"].startswith('attachment; filename="twitch-check-report-')


def test_another_persons_report_pdf_has_none_of_anas_journal(client, ana):
    client.force_login(make_person("ben@example.com"))
    for query in ("", "?from=2020-01-01&to=2026-12-31"):
        text = report_pdf(client, query)
        assert "Twitches recorded 0, on 0 of the" in text
        assert SECRET not in text
        assert "Tongue" not in text
        assert "ana-rules" not in text
        assert "ana@example.com" not in text


def test_report_pdf_needs_signing_in(client):
    response = client.get("/journal/report.pdf")
    assert response.status_code == 302
    assert response["Location"].startswith("/journal/sign-in/")
