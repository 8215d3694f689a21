import pytest
from django.urls import reverse

from tests.conftest import assert_accessible

pytestmark = pytest.mark.django_db


def test_home_routes_to_reading_the_self_check_and_the_journal(client):
    response = client.get(reverse("content:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/check/"' in html
    assert 'href="/journal/"' in html
    assert "information, not a diagnosis" in html


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
    page_without_js.get_by_role("link", name="Start the self-check").click()
    assert page_without_js.locator("h1").inner_text() == "Check your twitch"
    assert_accessible(page_without_js)


@pytest.mark.browser
def test_skip_link_moves_keyboard_focus_to_the_main_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main-content"
