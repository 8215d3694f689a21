"""The pages a person checks before trusting the site: about, privacy, accessibility, contact."""

import re

import pytest
from django.test import Client

from content.pages import get_pages
from tests.chromium import assert_accessible
from triage.engine import earlier_versions, get_ruleset

pytestmark = pytest.mark.django_db

TRUST_PAGES = {
    "/about/": "About Twitch Check",
    "/privacy/": "Privacy notice",
    "/accessibility/": "Accessibility statement",
    "/contact/": "Contact us",
}


def seen(client: Client, url: str) -> str:
    """The words of the page's main content, as a person reads them."""
    html = client.get(url).content.decode()
    main = html.split('id="main-content"', 1)[1].split("</main>", 1)[0]
    text = re.sub(r"<[^>]+>", " ", main.split(">", 1)[1])
    text = re.sub(r"\s+", " ", text.replace("&#x27;", "'")).strip()
    return re.sub(r" ([:;,.])", r"\1", text)


@pytest.mark.parametrize("url", ["/", "/read/faq/", "/check/", "/search/?q=eyelid", *TRUST_PAGES])
def test_every_page_footer_links_to_the_trust_pages(client, url):
    html = client.get(url).content.decode()
    footer = html.split('<footer class="govuk-footer', 1)[1]
    for path, name in [
        ("/about/", "About"),
        ("/privacy/", "Privacy"),
        ("/accessibility/", "Accessibility"),
        ("/contact/", "Contact"),
    ]:
        assert f'<a class="govuk-footer__link" href="{path}">{name}</a>' in footer


def test_the_footer_links_on_a_journal_page_too(person_client):
    html = person_client.get("/journal/").content.decode()
    footer = html.split('<footer class="govuk-footer', 1)[1]
    assert '<a class="govuk-footer__link" href="/privacy/">Privacy</a>' in footer


@pytest.mark.parametrize(("url", "title"), TRUST_PAGES.items())
def test_each_trust_page_has_its_heading_and_sets_no_cookie(url, title):
    response = Client().get(url)
    assert response.status_code == 200
    assert re.search(rf"<h1[^>]*>{title}</h1>", response.content.decode())
    assert not response.cookies


def test_trust_pages_are_not_health_explainers_in_the_reading_list_or_search(client):
    assert not {"about", "privacy", "accessibility", "contact"} & set(get_pages())
    reading_list = client.get("/read/").content.decode()
    assert 'href="/privacy/">Privacy notice' not in reading_list
    assert (
        "/about/"
        not in client.get("/search/", {"q": "privacy"})
        .content.decode()
        .split('<div id="search-results"', 1)[1]
        .split("</div>", 1)[0]
    )


def test_trust_pages_are_in_the_sitemap(client):
    xml = client.get("/sitemap.xml").content.decode()
    for url in TRUST_PAGES:
        assert f"{url}</loc>" in xml


def test_about_says_who_makes_it_how_it_is_checked_and_the_rules_version(client):
    text = seen(client, "/about/")
    assert "made by a small independent team. It is not part of the NHS" in text
    for source in ("nhs_twitching", "nice_ng42", "bfs_cohort"):
        assert get_ruleset().source(source).title.replace("&", "&amp;") in text
    for page in get_pages().values():
        assert f"{page.title}: last reviewed {page.last_reviewed:%-d %B %Y}" in text
    assert f"uses version {get_ruleset().version} of the rules" in text
    assert "review each one whose result would change" in text
    assert "clinical safety log" in text


def test_about_lists_every_earlier_version_of_the_rules_then_the_current_one(client):
    html = client.get("/about/").content.decode()
    history = re.search(r'<ol class="rules-history">(.*?)</ol>', html, re.S)[1]
    listed = re.findall(r"<li>Version ([\d.]+)", history)
    assert listed == [*earlier_versions(), get_ruleset().version]
    assert earlier_versions()[0] == "2026.11.1"


def test_privacy_says_what_is_stored_where_for_how_long_and_who_can_see_it(client):
    text = seen(client, "/privacy/")
    for stored in (
        "your email address",
        "your time zone",
        "your journal entries",
        "self-check results you save",
        "self-care plans you start",
        "failed sign-in attempts",
    ):
        assert stored in text
    assert "kept in the site's own database" in text
    assert "kept until you delete them" in text
    assert "Deleting your account erases your account and all your entries" in text
    assert "successful sign-ins are not recorded" in text
    assert "erased with your account when you delete it" in text
    assert "The people who run the site can technically get into the database" in text
    assert "only you can see" not in text.lower()
    assert "no analytics, no advertising, no tracking" in text
    assert "only the two cookies it needs to work" in text
    assert "14 days after you last changed it" in text


def test_privacy_links_to_export_and_account_deletion(client):
    html = client.get("/privacy/").content.decode()
    assert 'href="/journal/import/">Export and import</a>' in html
    assert 'href="/journal/account/">Your account</a>' in html


def test_the_journal_welcome_no_longer_says_only_you_can_see_it(client):
    html = client.get("/journal/").content.decode()
    assert "nobody else using the site can see it" in html
    assert "only you can see it" not in html.lower()
    assert 'href="/privacy/">privacy notice</a>' in html


def test_the_self_check_start_page_no_longer_says_answers_are_not_stored(client):
    html = client.get("/check/").content.decode()
    assert "are not stored" not in html
    assert "kept only for this session and are not linked to you" in html
    assert 'href="/privacy/#reading"' in html


def test_accessibility_states_the_aim_the_testing_and_known_problems(client):
    text = seen(client, "/accessibility/")
    assert "WCAG) version 2.2 at level AA" in text
    assert "partly meets WCAG 2.2 AA" in text
    assert "axe-core" in text and "Chromium" in text
    assert "with a keyboard alone" in text
    assert "focus visible" in text
    assert "non-text contrast" in text
    assert "PDF copies of a self-check result and of the doctor report are tagged" in text
    assert "not yet been checked with a PDF accessibility checker" in text


def test_contact_gives_the_address_and_sends_emergencies_to_the_emergency_list(client, settings):
    settings.CONTACT_EMAIL = "team@twitchcheck.example"
    html = client.get("/contact/").content.decode()
    text = seen(client, "/contact/")
    assert '<a href="mailto:team@twitchcheck.example">team@twitchcheck.example</a>' in html
    assert "cannot answer questions about your own symptoms by message" in text
    assert text.index("Do not contact us in an emergency") < text.index("Write to us")
    for sign in get_ruleset().emergency.signs:
        assert sign.text in text
    assert '<a class="govuk-link" href="tel:999">999</a>' in html


def test_contact_without_an_address_says_so_rather_than_inventing_one(client, settings):
    settings.CONTACT_EMAIL = ""
    html = client.get("/contact/").content.decode()
    assert "mailto:" not in html
    assert "have not yet added an email address" in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_trust_pages_are_accessible_and_reached_from_the_footer(page):
    page.goto("/")
    for url, title in TRUST_PAGES.items():
        page.goto("/read/faq/")
        page.locator("footer").get_by_role("link", name=title.split()[0], exact=True).click()
        assert page.url.endswith(url)
        assert page.get_by_role("heading", level=1).inner_text() == title
        assert_accessible(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_trust_pages_are_accessible_without_javascript(page_without_js):
    for url in TRUST_PAGES:
        page_without_js.goto(url)
        assert_accessible(page_without_js)
