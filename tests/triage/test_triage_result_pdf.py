"""The self-check result as a PDF: the same level, reasons and safety net as the page."""

import re

import pytest
from django.test import Client
from weasyprint.urls import URLFetcher

from config.pdf import url_fetcher
from tests.pdf import pdf_structure, pdf_text, words
from tests.triage.answer_sets import EYELID
from tests.triage.walk import answer
from triage.engine import assess, get_ruleset
from triage.engine.model import Assessment

pytestmark = pytest.mark.django_db


def result_pdf(client: Client) -> str:
    response = client.get("/check/result.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.getvalue()
    assert pdf.startswith(b"%PDF-")
    return pdf_text(pdf)


def squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def session_assessment(client: Client) -> Assessment:
    return assess(client.session["triage_answers"])


def assert_emergency_numbers(text: str) -> None:
    emergency = get_ruleset().emergency
    assert words(emergency.call) in text
    for line in emergency.numbers:
        assert f"{line.number} {line.where}" in text
    for sign in emergency.signs:
        assert words(sign.text) in text


def test_result_pdf_downloads_as_a_file_no_one_keeps(client, answer_all):
    answer_all(client)
    response = client.get("/check/result.pdf")
    assert response["Content-Disposition"] == 'attachment; filename="twitch-check-result.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_result_pdf_gives_the_next_step_its_reasons_and_the_plan(client, answer_all):
    answer_all(client)
    assessment = session_assessment(client)
    text = result_pdf(client)
    ruleset = get_ruleset()
    assert words(assessment.level.label) in text
    assert words(assessment.advice[0]) in text
    assert words(assessment.level.how_soon) in text
    assert assessment.findings
    for finding in assessment.findings:
        assert words(finding.reason) in text
    assert assessment.show_self_care_plan
    for step in ruleset.self_care_steps:
        assert words(f"{step.title}. {step.summary}") in text
    assert words(assessment.if_worse) in text
    assert words(ruleset.emergency.signs[0].text) not in text
    assert f"Rules version {ruleset.version}" in text
    assert "Checked on" in text


@pytest.mark.parametrize(
    ("changes", "repeated"),
    [({"numbness": "numbness"}, True), ({"weakness": "yes"}, True), ({"worsening": "yes"}, False)],
)
def test_an_urgent_result_pdf_repeats_the_emergency_signs_and_a_routine_one_does_not(
    client, answer_all, changes, repeated
):
    answer_all(client, **changes)
    text = result_pdf(client)
    assert (words(get_ruleset().emergency.signs[0].text) in text) == repeated
    if repeated:
        assert_emergency_numbers(text)


def test_result_pdf_is_tagged_so_a_screen_reader_finds_its_headings_and_lists(client, answer_all):
    answer_all(client)
    language, tags = pdf_structure(client.get("/check/result.pdf").getvalue())
    assert language == "en-GB"
    assert tags.count("H1") == 1
    assert tags.index("H1") < tags.index("H2")
    assert {"L", "LI"} <= set(tags)


def test_result_pdf_lists_the_checklist_items_that_apply(client, answer_all):
    answer_all(client, duration="over_2_weeks", spread="several_areas")
    assessment = session_assessment(client)
    assert assessment.checklist_count == 2
    text = result_pdf(client)
    ruleset = get_ruleset()
    assert f"Checklist items that apply to you: 2 of {len(ruleset.checklist)}." in text
    for item in ruleset.checklist:
        assert (words(item.text) in text) == (item.id in assessment.checklist_matched)


def test_result_pdf_keeps_the_eyelid_tips(client):
    for question_id, value in EYELID.items():
        answer(client, question_id, value)
    assessment = session_assessment(client)
    assert len(assessment.advice) > 1
    text = result_pdf(client)
    for line in assessment.advice:
        assert words(line) in text


def test_emergency_result_pdf_puts_the_emergency_signs_first(client):
    answer(client, "emergency_signs", "yes")
    assessment = session_assessment(client)
    assert assessment.is_emergency
    text = result_pdf(client)
    assert_emergency_numbers(text)
    first_sign = words(get_ruleset().emergency.signs[0].text)
    assert text.index(first_sign) < text.index("Why we suggest this")


def test_result_pdf_without_answers_goes_to_the_start_of_the_check(client):
    response = client.get("/check/result.pdf")
    assert response.status_code == 302
    assert response.url == client.get("/check/result/").url == "/check/q/emergency_signs/"


def test_result_pdf_is_made_from_the_visitors_own_answers_only(client, answer_all):
    answer_all(client, family_history="yes")
    assert words(session_assessment(client).level.label) in result_pdf(client)
    stranger = Client()
    answer(stranger, "emergency_signs", "no")
    response = stranger.get("/check/result.pdf")
    assert response.status_code == 302
    assert response.url == "/check/q/age/"


@pytest.mark.parametrize(
    "url",
    ["https://example.com/style.css", "http://127.0.0.1/static/css/site.css", "file:///etc/passwd"],
)
def test_making_a_pdf_fetches_nothing_from_any_host_or_disk(url):
    fetcher = url_fetcher()
    assert isinstance(fetcher, URLFetcher)
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher.fetch(url)


def test_a_benign_result_pdf_answers_the_fear_of_mnd_with_its_sources(client, answer_all):
    answer_all(client)
    assessment = session_assessment(client)
    reassurance = get_ruleset().reassurance
    assert assessment.reassurance == reassurance.body
    text = result_pdf(client)
    assert words(reassurance.body) in text
    # Long titles and addresses may break across lines anywhere.
    for source in reassurance.sources:
        assert squashed(source.title) in squashed(text)
    assert "If worry about twitching is taking over" in text
    assert "/read/worry-about-twitching/" in squashed(text)
    assert text.index(words(reassurance.body)) < text.index("Why we suggest this")


def test_a_result_pdf_with_weakness_does_not_offer_the_mnd_reassurance(client, answer_all):
    answer_all(client, weakness="yes")
    text = result_pdf(client)
    assert words(get_ruleset().reassurance.body) not in text
    assert "If worry about twitching is taking over" not in text


def test_a_child_result_pdf_is_for_parents_without_the_adult_plan(client):
    answer(client, "emergency_signs", "no")
    answer(client, "age", "under_16")
    assert session_assessment(client).for_child
    text = result_pdf(client)
    children = get_ruleset().children
    assert words(children.what_to_do) in text
    assert words(children.source.title) in text
    assert words(children.if_worse) in text
    for step in get_ruleset().self_care_steps:
        assert words(step.title) not in text
    assert "litres" not in text
    assert "Checklist items" not in text
    assert "motor neurone disease" not in text


def test_result_pdf_starts_with_a_summary_a_clinician_can_read(client, answer_all):
    answer_all(client, weakness="yes")
    assessment = session_assessment(client)
    ruleset = get_ruleset()
    text = result_pdf(client)
    summary = text[: text.index("Your result")]
    assert "Summary for a clinician Name: Date of birth:" in summary
    assert f"(rules version {assessment.ruleset_version}). Result: " in summary
    assert words(assessment.level.label) in summary
    assert "Self-check on " in summary
    for question_id, value in client.session["triage_answers"].items():
        question = ruleset.question(question_id)
        assert words(f"{question.text} {question.label_for(value)}") in summary
