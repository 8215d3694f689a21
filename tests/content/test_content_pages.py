import datetime
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse

from content import pages as pages_module
from content import views as content_views
from content.pages import PageError, get_pages, load_pages, parse_page
from triage.engine import get_ruleset, parse_ruleset
from triage.engine.loader import DEFAULT_PATH
from triage.templatetags.emergency import phone_links

pytestmark = pytest.mark.django_db

SLUGS = [
    "what-is-a-twitch",
    "common-triggers",
    "when-to-worry",
    "red-flags",
    "benign-fasciculation-syndrome",
    "worry-about-twitching",
    "eyelid-twitching",
    "self-care-plan",
    "when-to-get-help",
    "faq",
    "illustrative-case",
]


def test_every_expected_page_exists_in_reading_order():
    assert list(get_pages()) == SLUGS


@pytest.mark.parametrize("slug", SLUGS)
def test_every_page_renders_with_its_title_review_date_and_sources(client, slug):
    page = get_pages()[slug]
    response = client.get(f"/read/{slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(
        rf"<h1[^>]*>{re.escape(page.title.replace('&', '&amp;'))}</h1>", html.replace("&#x27;", "'")
    )
    assert f'datetime="{page.last_reviewed.isoformat()}"' in html
    assert "Sources" in html
    assert "information, not a diagnosis" in html
    assert '<nav class="govuk-breadcrumbs" aria-label="Breadcrumb">' in html
    assert f'<link rel="canonical" href="http://testserver/read/{slug}/">' in html
    assert f'<meta name="description" content="{page.summary}' in html.replace("&#x27;", "'")
    assert '<meta property="og:title"' in html
    assert '<script type="application/ld+json">' in html
    assert '"@type": "MedicalWebPage"' in html


def test_long_pages_get_a_table_of_contents(client):
    html = client.get("/read/common-triggers/").content.decode()
    assert "On this page" in html
    assert 'href="#stress-and-anxiety"' in html


def test_red_flag_page_shows_emergency_signs_before_anything_else(client):
    html = client.get("/read/red-flags/").content.decode()
    body = html.split('<div class="tc-prose">', 1)[1]
    assert body.lstrip().startswith('<div class="tc-urgent"')
    assert body.index("Call your emergency number now") < body.index("<table")


@pytest.mark.parametrize("slug", ["when-to-worry", "red-flags", "when-to-get-help"])
def test_pages_about_worrying_signs_open_with_the_emergency_signs(client, slug):
    """The red flags page opens with the full list; the other two open with one sentence
    that sends a reader with a sudden sign to it, so emergency advice stays in proportion."""
    html = client.get(f"/read/{slug}/").content.decode()
    body = html.split('<div class="tc-prose">', 1)[1]
    if slug == "red-flags":
        assert body.lstrip().startswith('<div class="tc-urgent" id="emergency-signs"')
        for sign in get_ruleset().emergency.signs:
            assert sign.text in body
        assert body.index("Call your emergency number now") < body.index("On this page")
    else:
        opening = body.split("</p>", 1)[0]
        assert 'href="/read/red-flags/#emergency-signs"' in opening
        assert "suddenly" in opening
        assert 'class="tc-urgent"' not in body


@pytest.mark.parametrize("slug", sorted(set(SLUGS) - {"red-flags"}))
def test_only_the_red_flags_page_lists_the_emergency_signs_in_full(slug):
    page = get_pages()[slug]
    assert "[[block:emergency_signs]]" not in page.body
    assert not page.leads_with_emergency


def test_a_page_opening_with_emergency_signs_still_gets_its_contents_list(client):
    html = client.get("/read/red-flags/").content.decode()
    assert "On this page" in html
    assert 'href="#warning-signs-with-a-twitch"' in html


@pytest.mark.parametrize("slug", SLUGS)
def test_every_page_is_300_to_900_words_with_its_blocks(slug):
    """At least 300 words as shown, blocks included; at most 900 words written on the page.
    The blocks are the ruleset's (the red-flag table shows the article's row beside ours),
    so their length is the rules' to keep in check, not the page's."""
    page = get_pages()[slug]
    shown = re.sub(r"<[^>]+>", " ", str(page.html)).split()
    written = page.text.split()
    assert len(shown) >= 300, f"{slug} shows {len(shown)} words"
    assert len(written) <= 900, f"{slug} has {len(written)} words of its own"


def test_the_clinical_core_is_never_typed_into_a_page():
    ruleset = get_ruleset()
    core = [
        *(sign.text for sign in ruleset.emergency.signs),
        *(item.text for item in ruleset.checklist),
        *(row.symptom for row in ruleset.red_flags),
        *(step.summary for step in ruleset.self_care_steps),
        *ruleset.eyelid_advice.see_specialist_when,
    ]
    for slug, page in get_pages().items():
        for text in core:
            assert text.lower().rstrip(".") not in page.body.lower(), (slug, text)


def test_the_red_flag_table_lists_every_row_of_the_ruleset(client):
    html = client.get("/read/red-flags/").content.decode()
    for row in get_ruleset().red_flags:
        assert re.search(rf'<th scope="row"[^>]*>{re.escape(row.symptom)}</th>', html)
        assert phone_links(row.action) in html


def test_the_checklist_and_plan_come_from_the_ruleset(client):
    ruleset = get_ruleset()
    checklist = client.get("/read/when-to-get-help/").content.decode()
    for item in ruleset.checklist:
        assert item.text in checklist
    plan = client.get("/read/self-care-plan/").content.decode()
    for step in ruleset.self_care_steps:
        assert step.title in plan


def test_a_new_version_of_the_rules_shows_on_a_page_already_seen(client, monkeypatch):
    assert "Twitching that spreads to several areas" in client.get("/read/red-flags/").text
    current = get_ruleset()
    changed = parse_ruleset(
        DEFAULT_PATH.read_text(encoding="utf-8")
        .replace(f'version = "{current.version}"', 'version = "9999.1.1"')
        .replace(
            'symptom = "Twitching that spreads to several areas"',
            'symptom = "Twitching that moves around the body"',
        )
    )
    monkeypatch.setattr(pages_module, "get_ruleset", lambda: changed)
    monkeypatch.setattr(content_views, "get_ruleset", lambda: changed)
    html = client.get("/read/red-flags/").text
    assert "Twitching that moves around the body" in html
    assert "Twitching that spreads to several areas" not in html


def test_an_unknown_page_is_a_friendly_404_with_search(client):
    response = client.get("/read/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We could not find that page" in html
    assert 'action="/search/"' in html


VALID = """---
title: A page
summary: A summary.
order: 1
last_reviewed: 2026-11-25
sources:
  - title: A source
---
Body text.
"""


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (VALID.replace("title: A page\n", ""), "front matter needs 'title'"),
        (VALID.replace("2026-11-25", "last week"), "'last_reviewed' must be a date"),
        (VALID.replace("title: A page", "title: A: page"), "not valid YAML"),
        (VALID.replace("  - title: A source\n", "  - detail: no title\n"), "needs a 'title'"),
        (VALID + "\n[[block:nonsense]]\n", "unknown block 'nonsense'"),
    ],
)
def test_broken_front_matter_is_refused_naming_the_file(raw, message):
    with pytest.raises(PageError, match=re.escape(message)):
        parse_page("a-page", raw)


def test_a_broken_page_stops_start_up_naming_the_file(tmp_path, monkeypatch):
    (tmp_path / "broken.md").write_text(VALID.replace("order: 1\n", ""))
    monkeypatch.setattr(pages_module, "PAGES_DIR", tmp_path)
    config = apps.get_app_config("content")
    monkeypatch.setattr(config, "pages", config.pages)
    with pytest.raises(PageError, match=r"content/pages/broken\.md: front matter needs 'order'"):
        config.ready()


def test_markdown_is_sanitised(tmp_path):
    page = parse_page(
        "a-page",
        VALID.replace("Body text.", "<script>alert(1)</script>\n\n[x](javascript:alert(1))"),
    )
    assert "<script>" not in page.html
    assert "javascript:" not in page.html


def test_pages_are_read_once_when_the_site_starts(settings):
    assert get_pages() is apps.get_app_config("content").pages
    assert list(get_pages()) == list(load_pages())


def test_while_developing_the_autoreloader_watches_the_pages():
    from django.utils.autoreload import StatReloader

    from content.apps import watch_pages

    reloader = StatReloader()
    watch_pages(reloader)
    watched = {path.name for path in reloader.watched_files()}
    assert "faq.md" in watched


def test_a_content_page_needs_no_sql_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get("/read/red-flags/")


class LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def test_no_internal_link_is_broken(client):
    seen, queue = set(), ["/"]
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code in {200, 302}, path
        if response.status_code == 302 or "html" not in response.headers["Content-Type"]:
            continue
        parser = LinkParser()
        parser.feed(response.content.decode())
        for href in parser.links:
            href = href.split("#")[0]
            if href.startswith("/") and not href.startswith("//") and href not in seen:
                queue.append(href)
    assert {f"/read/{slug}/" for slug in SLUGS} <= seen


def test_sitemap_lists_every_page_with_its_review_date(client):
    xml = client.get(reverse("content:sitemap")).content.decode()
    for slug, page in get_pages().items():
        assert f"<loc>http://testserver/read/{slug}/</loc>" in xml
        assert f"<lastmod>{page.last_reviewed.isoformat()}</lastmod>" in xml


def test_robots_txt_points_at_the_sitemap_and_keeps_journals_out(client):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /journal/" in text


def test_every_page_was_reviewed_recently_and_names_a_source():
    for page in get_pages().values():
        assert page.last_reviewed <= datetime.date(2026, 12, 6)
        assert page.sources


ARTICLE = "Muscle twitches reference article"


@pytest.mark.parametrize("slug", SLUGS)
def test_every_public_source_a_page_cites_has_an_address(slug):
    """Only the unattributed reference article has no address; every NHS, NICE and
    research source is linked, and every page cites at least one of them."""
    sources = get_pages()[slug].sources
    for source in sources:
        if source["title"] != ARTICLE:
            assert source.get("url", "").startswith("https://"), (slug, source["title"])
    assert any(
        re.match(r"https://www\.(nhs\.uk|nice\.org\.uk)/", source.get("url", ""))
        for source in sources
    ), slug


def test_the_worry_page_is_linked_from_the_bfs_page_and_names_nhs_talking_therapies(client):
    worry = get_pages()["worry-about-twitching"]
    assert worry.related == ("benign-fasciculation-syndrome", "self-care-plan")
    html = client.get("/read/worry-about-twitching/").content.decode()
    assert re.search(
        r'<a href="https://www\.nhs\.uk/nhs-services/mental-health-services/'
        r'find-nhs-talking-therapies-for-anxiety-and-depression/">[^<]*NHS Talking Therapies',
        html,
    )
    assert "121 people" in worry.text and "2 and 32 years" in worry.text
    assert 'href="/read/red-flags/"' in html

    bfs = get_pages()["benign-fasciculation-syndrome"]
    assert "worry-about-twitching" in bfs.related
    assert "If worry about twitching is taking over" in bfs.text
    assert 'href="/read/worry-about-twitching/"' in str(bfs.html)


@pytest.mark.parametrize("slug", SLUGS)
def test_no_page_invites_doing_the_self_check_again(slug):
    page = get_pages()[slug]
    text = f"{page.summary} {page.text}".lower()
    assert "self-check again" not in text
    assert "do the check again" not in text


@pytest.mark.parametrize("slug", SLUGS)
def test_no_page_sends_every_pair_of_checklist_signs_to_a_neurologist(slug):
    """Two checklist signs mean a neurologist only with weakness, wasting or a change in
    speech or swallowing (NICE NG127, NG42); spreading and tingling alone are ordinary."""
    page = get_pages()[slug]
    text = f"{page.summary} {page.text}".lower()
    assert "neurologist within 2–3 weeks" not in text
    assert not re.search(r"two or more[^.]*mean[^.]*neurologist", text.replace("article", "#"))
    assert "spread to several unrelated areas is on the" not in text


def test_the_illustrative_case_tells_the_common_story():
    page = get_pages()["illustrative-case"]
    text = page.text.lower()
    assert "strength was normal" in text
    assert "did not stop completely" in text
    for rare_story in (
        "weakness was found",
        "diagnosed with",
        "started treatment",
        "nerve problem",
    ):
        assert rare_story not in text
    body = str(page.html)
    for link in ("/check/", "/read/worry-about-twitching/", "/read/benign-fasciculation-syndrome/"):
        assert f'href="{link}"' in body


def test_the_self_care_plan_aims_to_bother_you_less_and_ends_with_a_review(client):
    html = client.get("/read/self-care-plan/").content.decode()
    plan = get_ruleset().self_care_plan
    assert html.count(plan.goal) == 1
    assert "Looking back" in html
    assert plan.review in html
    assert "You can stop logging" in html


def test_illustrative_case_is_labelled_and_names_nobody():
    page = get_pages()["illustrative-case"]
    assert "illustrative example, not a real person" in page.text
    source = Path(pages_module.PAGES_DIR, "illustrative-case.md").read_text()
    assert "Mark" not in source
    assert "Torres" not in source


def test_the_red_flags_page_shows_the_articles_action_beside_ours_with_the_reason_and_source(
    client,
):
    html = client.get("/read/red-flags/").content.decode()
    table = html.split('id="red-flags-caption"', 1)[1].split("</table>", 1)[0]
    for row in get_ruleset().red_flags:
        assert row.article_action in table
        assert phone_links(row.action) in table
        if row.differs:
            assert phone_links(row.deviation) in table
            assert f'href="{row.deviation_source.url}"' in table
    assert table.count("Why this differs from the article") == sum(
        row.differs for row in get_ruleset().red_flags
    )


def test_the_checklist_shows_the_articles_rule_beside_ours(client):
    html = client.get("/read/when-to-get-help/").content.decode()
    checklist = get_ruleset().checklist_rule
    assert "The reference article says: if 2 or more apply, see a neurologist" in html
    assert checklist.deviation in html
    assert f'href="{checklist.deviation_source.url}"' in html
    assert "book an appointment with your doctor</strong>" in html


def test_the_eyelid_advice_names_the_same_day_signs_and_the_gp_signs(client):
    html = client.get("/read/eyelid-twitching/").content.decode()
    for line in get_ruleset().eyelid_advice.see_doctor_when:
        assert phone_links(line) in html
    assert 'href="tel:111"' in html


def test_the_page_on_worry_offers_no_self_check_or_journal(client):
    html = client.get("/read/worry-about-twitching/").content.decode()
    assert 'id="cta-heading"' not in html
    assert "Start the self-check</a>" not in html
