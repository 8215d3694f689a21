import pytest
from django.urls import reverse

from tests.chromium import assert_accessible, expect
from tests.page_text import visible_text
from triage.engine import get_ruleset

pytestmark = pytest.mark.django_db


def test_home_routes_to_reading_the_self_check_and_the_journal(client):
    response = client.get(reverse("content:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/check/"' in html
    assert 'href="/journal/"' in html
    assert "information, not a diagnosis" in html


def test_home_reassures_and_links_to_the_emergency_signs_without_listing_them(client):
    text = visible_text(client.get(reverse("content:home")).content.decode())
    for sign in get_ruleset().emergency.signs:
        assert sign.text not in text
        assert sign.short not in text
    assert f"Emergency? Call {get_ruleset().emergency.numbers[0].number}" in text


def test_unknown_address_shows_the_friendly_not_found_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_pages_load_no_script_or_style_from_another_host(client):
    html = client.get(reverse("content:home")).content.decode()
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html
    assert "<script>" not in html


@pytest.mark.browser
def test_home_page_works_with_javascript_and_is_accessible(page):
    page.goto("/")
    assert page.locator("h1").inner_text().startswith("A muscle twitch is usually harmless")
    assert page.evaluate("() => typeof window.htmx") == "object"
    assert_accessible(page)


@pytest.mark.browser
def test_home_page_works_without_javascript_and_is_accessible(page_without_js):
    page_without_js.goto("/")
    page_without_js.get_by_role("button", name="Start the self-check").click()
    assert page_without_js.locator("h1").inner_text() == "Check your twitch"
    assert_accessible(page_without_js)


@pytest.mark.browser
@pytest.mark.parametrize("viewport_width", [390])
def test_on_a_phone_the_reassurance_and_the_start_button_fit_the_first_screen(page_without_js):
    page = page_without_js
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    seen_first = [
        page.get_by_role("heading", level=1, name="A muscle twitch is usually harmless"),
        page.get_by_text("Most twitches in an eyelid, calf or thumb"),
        page.get_by_role("button", name="Start the self-check"),
    ]
    for part in seen_first:
        expect(part).to_be_visible()
        box = part.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 844, box


@pytest.mark.browser
def test_skip_link_moves_keyboard_focus_to_the_main_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main-content"
