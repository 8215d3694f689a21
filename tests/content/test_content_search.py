import html
import re

import pytest

from content.pages import get_pages
from content.search import search, snippet
from tests.chromium import assert_accessible, expect

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("eyelid", "eyelid-twitching"),
        ("caffeine", "common-triggers"),
        ("ALS", "faq"),
        ("benign fasciculation", "benign-fasciculation-syndrome"),
        ("red flags", "red-flags"),
    ],
)
def test_search_finds_the_right_page_first(query, first):
    hits = search(list(get_pages().values()), query)
    assert hits[0].page.slug == first


def test_search_highlights_matches_and_escapes_everything_else(client):
    html = client.get("/search/", {"q": "<b>caffeine</b>"}).content.decode()
    assert "<mark>caffeine</mark>" in html.lower()
    assert "<b>caffeine</b>" not in html
    assert "&lt;b&gt;caffeine&lt;/b&gt;" in html


@pytest.mark.parametrize("query", ["caffeine", "eyelid", "weakness", "sleep", "doctor", "als"])
def test_search_snippets_start_and_end_on_whole_words(query):
    hits = search(list(get_pages().values()), query)
    assert hits
    for hit in hits:
        shown = re.sub(r"</?mark>", "", str(hit.snippet))
        extract = html.unescape(shown.removeprefix("… ").removesuffix(" …"))
        text = hit.page.text
        at = text.index(extract)
        assert at == 0 or text[at - 1] == " ", (hit.page.slug, extract[:20])
        after = at + len(extract)
        assert after == len(text) or text[after] == " ", (hit.page.slug, extract[-20:])
        assert shown.startswith("… ") == (at > 0)
        assert shown.endswith(" …") == (after < len(text))


def test_a_snippet_never_shows_part_of_a_word():
    # Eight characters a word: a cut 45 characters before the match falls inside one.
    text = "tremble " * 20 + "caffeine " + "twitchy " * 40
    shown = str(snippet(text.strip(), ["caffeine"]))
    assert shown.startswith("… tremble tremble")
    assert "<mark>caffeine</mark>" in shown
    assert shown.endswith(" twitchy …")


def test_search_with_no_match_says_so_and_suggests_words(client):
    html = client.get("/search/", {"q": "zebra"}).content.decode()
    assert "No pages found for “zebra”" in html


@pytest.mark.parametrize("query", ["", " ", "a" * 5000, "\x00", "%", "((", "🙂" * 50])
def test_odd_queries_never_fail(client, query):
    assert client.get("/search/", {"q": query}).status_code == 200


def test_htmx_search_returns_only_the_results(client):
    response = client.get("/search/", {"q": "eyelid"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="search-results"')
    assert "<html" not in html


def test_search_results_tell_caches_they_differ_for_htmx(client):
    response = client.get("/search/", {"q": "eyelid"})
    assert "HX-Request" in response["Vary"]
    assert "HX-History-Restore-Request" in response["Vary"]


def test_going_back_to_search_results_restores_the_whole_page(client):
    restore = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    response = client.get("/search/", {"q": "eyelid"}, headers=restore)
    assert "<html" in response.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_search_updates_live_as_you_type(page):
    page.goto("/search/")
    page.get_by_label("Search the guides").press_sequentially("eyelid", delay=30)
    # The hits for "eye" already name the eyelid page: wait for the whole word's answer.
    expect(page).to_have_url(re.compile(r"[?&]q=eyelid(&|$)"))
    expect(page.locator(".search-hits li").first).to_contain_text("Eyelid twitching")
    expect(page.get_by_label("Search the guides")).to_be_focused()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_search_works_without_javascript(page_without_js):
    page = page_without_js
    page.goto("/read/")
    page.get_by_label("Search the guides").fill("caffeine")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".search-hits li").first).to_contain_text("Common triggers")
    assert_accessible(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_printed_page_keeps_the_words_and_warning_signs_and_drops_navigation(page):
    page.goto("/read/red-flags/")
    page.emulate_media(media="print")
    expect(
        page.get_by_role("region", name="Call your emergency number now if you have")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Warning signs with a twitch")).to_be_visible()
    expect(page.get_by_role("heading", name="Sources")).to_be_visible()
    expect(page.get_by_text("Last reviewed:")).to_be_visible()
    for hidden in (
        page.get_by_role("navigation", name="On this page"),
        page.get_by_role("heading", name="Not sure what your twitch means?"),
        page.get_by_role("navigation", name="Related pages"),
        page.get_by_role("navigation", name="Main"),
        page.get_by_role("navigation", name="Breadcrumb"),
    ):
        expect(hidden).to_be_hidden()
