"""The self-check in Chromium, with the keyboard alone, with and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import assert_accessible
from tests.pdf import pdf_text
from triage.engine import get_ruleset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWERS = {
    "emergency_signs": "No, none of these",
    "age": "16 or older",
    "area": "Somewhere else in my body, with or without my eyelid",
    "duration": "More than 2 weeks",
    "spread": "Several areas of my body",
    "weakness": "No",
    "wasting": "No",
    "numbness": "None of these",
    "speech_swallow": "No",
    "family_history": "No",
    "worsening": "No, it is about the same or better",
    "medicine": "No",
    "self_care_tried": "No, not yet",
}


BENIGN_ANSWERS = {
    **ANSWERS,
    "duration": "2 weeks or less",
    "spread": "One area",
}


def count_pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def choose_with_keyboard(page, label: str) -> None:
    """Tab into the radio group, arrow to the option, then Enter to continue."""
    page.locator("legend h1").wait_for()
    page.get_by_role("link", name="Back", exact=True).focus()
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.type") == "radio":
            break
    for _ in range(5):
        focused = page.evaluate(
            "() => document.querySelector(`label[for='${document.activeElement.id}']`).textContent"
        )
        if focused.strip() == label:
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    page.keyboard.press("Enter")


def arrive(page, path: str, *, swapped: bool) -> None:
    """Wait for the step at `path`; after an htmx swap its h1 must have the focus."""
    page.wait_for_url(f"**{path}")
    if swapped:
        expect(page.locator("h1")).to_be_focused()


def go_back_with_keyboard(page) -> None:
    page.get_by_role("link", name="Back", exact=True).focus()
    page.keyboard.press("Enter")


def complete_with_keyboard(page, answers: dict[str, str], *, scan: bool) -> None:
    swapped = page.context.javascript_enabled_for_tests
    page.goto("/check/")
    assert_accessible(page)
    page.get_by_role("button", name="Start now").focus()
    page.keyboard.press("Enter")
    for number, (question_id, label) in enumerate(answers.items()):
        arrive(page, f"/check/q/{question_id}/", swapped=swapped)
        if scan:
            assert_accessible(page)
        if number == 3:
            go_back_with_keyboard(page)
            previous = list(answers)[number - 1]
            arrive(page, f"/check/q/{previous}/", swapped=swapped)
            expect(page.get_by_label(answers[previous], exact=True)).to_be_checked()
            page.get_by_role("button", name="Continue").focus()
            page.keyboard.press("Enter")
            arrive(page, f"/check/q/{question_id}/", swapped=swapped)
        choose_with_keyboard(page, label)
    arrive(page, "/check/answers/", swapped=swapped)
    assert page.locator("h1").inner_text() == "Check your answers"
    if scan:
        assert_accessible(page)
    page.get_by_role("button", name="See your result").focus()
    page.keyboard.press("Enter")
    arrive(page, "/check/result/", swapped=swapped)
    page.locator("#result-heading").wait_for()


def test_keyboard_only_with_javascript_swaps_steps_and_moves_focus(page):
    complete_with_keyboard(page, ANSWERS, scan=True)
    assert page.locator("#result-heading").inner_text() == "Book an appointment with your doctor"
    expect(page.locator("#result-heading")).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Your result: Book an appointment"))
    assert_accessible(page)
    page.go_back()
    page.wait_for_url("**/check/answers/")
    expect(page.locator("h1")).to_have_text("Check your answers")


def test_the_start_button_answers_the_space_key_as_a_button_does(page):
    page.goto("/check/")
    page.get_by_role("button", name="Start now").focus()
    page.keyboard.press("Space")
    arrive(page, "/check/q/emergency_signs/", swapped=True)


def test_keyboard_only_without_javascript_reaches_a_self_care_result(page_without_js):
    page = page_without_js
    complete_with_keyboard(page, BENIGN_ANSWERS, scan=False)
    assert page.locator("#result-heading").inner_text() == "Look after yourself at home"
    expect(
        page.get_by_role("region", name="Your five-step self-care plan").get_by_role("listitem")
    ).to_have_count(5)
    assert_accessible(page)


def test_error_summary_is_announced_and_accessible(page):
    page.goto("/check/q/emergency_signs/")
    history_length = page.evaluate("history.length")
    page.get_by_role("button", name="Continue").click()
    summary = page.get_by_role("alert")
    summary.wait_for()
    assert page.url.endswith("/check/q/emergency_signs/")
    assert page.evaluate("history.length") == history_length
    assert "There is a problem" in summary.inner_text()
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert_accessible(page)
    summary.get_by_role("link").click()
    expect(page.locator("#id_answer_0")).to_be_focused()


@pytest.mark.parametrize(
    ("answers", "heading"),
    [
        (
            {"emergency_signs": "Yes, now or in the last few hours, even if it has gone"},
            "Call the emergency number now",
        ),
        (
            {
                "emergency_signs": "No, none of these",
                "age": "16 or older",
                "area": "My eyelid, perhaps with other muscles in my face",
                "eyelid_duration": "2 weeks or less",
                "eyelid_spread": "No, only my eyelid, or around my eye",
                "eyelid_droop": "No",
                "eyelid_closing": "No",
                "eyelid_eye": "No",
                "medicine": "No",
            },
            "Look after yourself at home",
        ),
        (
            {
                **ANSWERS,
                "weakness": "Yes",
                "wasting": "Yes",
                "numbness": "An area has lost feeling (numbness)",
                "speech_swallow": "Yes",
                "family_history": "Yes",
                "worsening": "Yes, it is getting worse",
                "self_care_tried": "Yes, for 3–4 weeks or more, with no change",
            },
            "Get checked by a doctor now",
        ),
    ],
    ids=["emergency", "eyelid-self-care", "every-warning-sign"],
)
def test_each_kind_of_result_is_accessible(page_without_js, answers, heading):
    page = page_without_js
    page.goto("/check/q/emergency_signs/")
    for label in answers.values():
        page.get_by_label(label, exact=True).check()
        page.get_by_role("button", name="Continue").click()
    if page.url.endswith("/check/answers/"):
        page.get_by_role("button", name="See your result").click()
    assert page.locator("#result-heading").inner_text() == heading
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.get_by_text("Twitch Check self-check summary")).to_be_visible()
    expect(page.get_by_role("button", name="Start again")).to_be_hidden()
    expect(page.get_by_role("link", name="Save as PDF")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    for section in page.locator(".result section").all():
        expect(section).to_be_visible()
    expect(page.get_by_text("This is not a diagnosis.")).to_be_visible()
    assert count_pdf_pages(page.pdf(format="A4")) == 1


@pytest.mark.parametrize("viewport_width", [390])
def test_on_a_phone_the_emergency_result_gives_a_call_button_across_the_screen(page_without_js):
    page = page_without_js
    page.set_viewport_size({"width": 390, "height": 844})
    ruleset = get_ruleset()
    first = ruleset.emergency.numbers[0].number
    page.goto("/check/q/emergency_signs/")
    signs = page.locator("fieldset").get_by_role("listitem")
    expect(signs).to_have_count(len(ruleset.emergency.signs))
    expect(signs.first).to_have_text(ruleset.emergency.signs[0].text)
    page.get_by_label(ruleset.question("emergency_signs").choices[0].label, exact=True).check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/check/result/")
    call = page.get_by_role("button", name=f"Call {first}", exact=True)
    expect(call).to_be_visible()
    expect(call).to_have_attribute("href", f"tel:{first}")
    button = call.bounding_box()
    column = page.locator("#result-heading").evaluate(
        """(heading) => {
          const column = heading.closest(".govuk-grid-column-two-thirds");
          const {paddingLeft, paddingRight} = getComputedStyle(column);
          return column.clientWidth - parseFloat(paddingLeft) - parseFloat(paddingRight);
        }"""
    )
    assert button is not None and button["width"] >= 0.9 * column, (button, column)
    # On the first screen, with the result's heading, before the list of signs.
    assert button["y"] + button["height"] <= 844
    signs_heading = page.get_by_role("heading", name="These signs need emergency help")
    assert button["y"] < signs_heading.bounding_box()["y"]
    assert_accessible(page)


def stub_print(page) -> None:
    page.evaluate("() => { window.printCalls = 0; window.print = () => { window.printCalls++; }; }")


def test_the_print_button_prints_the_result_with_javascript(page):
    complete_with_keyboard(page, BENIGN_ANSWERS, scan=False)
    for _ in ("after the step is swapped in", "after a full load"):
        stub_print(page)
        page.get_by_role("button", name="Print").click()
        assert page.evaluate("window.printCalls") == 1
        page.reload()


def test_without_javascript_the_result_has_no_print_button_and_saves_a_pdf(page_without_js):
    page = page_without_js
    page.goto("/check/q/emergency_signs/")
    for label in BENIGN_ANSWERS.values():
        page.get_by_label(label, exact=True).check()
        page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="See your result").click()
    heading = page.locator("#result-heading").inner_text()
    expect(page.get_by_role("button", name="Print")).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_role("link", name="Save as PDF").click()
    assert download.value.suggested_filename == "twitch-check-result.pdf"
    with open(download.value.path(), "rb") as saved:
        assert heading in pdf_text(saved.read())
