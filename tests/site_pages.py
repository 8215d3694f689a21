"""Every page and state a person can reach, and how a browser gets there.

Each state names the route whose page it shows, so a test can check that every named
route of the site is either here or listed in NOT_PAGES with the reason it is no page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from content.pages import get_pages
from journal.exports import export_data
from journal.models import Plan, Region
from journal.timezones import person_today
from tests.accounts.factories import PASSWORD
from tests.chromium import expect, sign_in
from tests.journal.factories import CheckInFactory, EntryFactory, SavedCheckFactory
from tests.journal.insights_data import add_entries, entry, make_person
from tests.tasks import run_tasks
from tests.triage.answer_sets import BENIGN
from tests.triage.walk import answer
from triage.engine.loader import get_ruleset

if TYPE_CHECKING:
    from playwright.sync_api import Page

# Named routes that answer with no page of their own: each sends the browser on to a page
# listed below, gives a file, or serves machines.
NOT_PAGES = {
    "content:robots": "robots.txt, for crawlers",
    "content:sitemap": "sitemap.xml, for crawlers",
    "health": "a status for load balancers",
    "save_result": "a form's target: sends the browser back to the result",
    "triage:start_again": "a form's target: sends the browser to the start",
    "journal:quick_add": "a form's target: back to the timeline, or the timeline's update",
    "journal:quick_undo": "a form's target: back to the timeline, or the timeline's update",
    "accounts:logout": "a form's target: sends the browser to the home page",
    "journal:plan_start": "a form's target: sends the browser to the plan",
    "journal:plan_finish": "a form's target: sends the browser to the plan",
    "journal:export_csv": "a download",
    "journal:export_json": "a download",
    "journal:export_fhir": "a download",
    "journal:report_pdf": "a download",
    "sharing:shared_pdf": "a download",
    "triage:result_pdf": "a download",
}

# Phone and desktop widths, in CSS px.
WIDTHS = [390, 1280]
# The pages the README shows, at each width, in docs/screenshots/.
SHOWN = [
    "home",
    "question",
    "question-unanswered",
    "result-see_doctor",
    "result-emergency",
    "timeline",
]

Reach = Callable[["Page", object], None]


@dataclass(frozen=True)
class State:
    """A page in one state: `name` is the test id and the screenshot's file name."""

    name: str
    route: str | None
    reach: Reach


def visit(page: Page, path: str, status: int = 200) -> None:
    response = page.goto(path)
    assert response is not None and response.status == status, (
        f"{path} answered {response.status if response else 'nothing'}, not {status}"
    )


def press(page: Page, button: str) -> None:
    """Submit with the keyboard, so no control is left under the mouse."""
    page.get_by_role("button", name=button, exact=True).press("Enter")


def opened(path: str, status: int = 200) -> Reach:
    return lambda page, live_server: visit(page, path, status)


# Signed in -------------------------------------------------------------------------------


def choose_password_page(page: Page, live_server) -> None:
    """An account opened after two sign-ups with different passwords: it has none yet."""
    person = make_person()
    person.set_unusable_password()
    person.save(update_fields=["password"])
    sign_in(page, live_server, person)
    visit(page, "/journal/account/choose-password/")


def journal_of(page: Page, live_server, *, entries: int = 0) -> User:
    """A person signed in in `page`, with `entries` varied entries over the last day."""
    person = make_person()
    if entries:
        add_entries(person, entries)
    sign_in(page, live_server, person)
    return person


def signed_in(path: str, *, entries: int = 0) -> Reach:
    def reach(page: Page, live_server) -> None:
        journal_of(page, live_server, entries=entries)
        visit(page, path)

    return reach


def with_a_full_journal(page: Page, live_server) -> User:
    """A day's entries, one with a red flag, and a saved self-check."""
    person = journal_of(page, live_server, entries=8)
    entry(person, datetime.now(UTC) - timedelta(hours=2), Region.EYELID, weakness=True)
    SavedCheckFactory(user=person)
    return person


def full_journal_at(path: str) -> Reach:
    def reach(page: Page, live_server) -> None:
        with_a_full_journal(page, live_server)
        visit(page, path)

    return reach


def entry_page(action: str) -> Reach:
    def reach(page: Page, live_server) -> None:
        person = journal_of(page, live_server)
        visit(page, f"/journal/entries/{EntryFactory(user=person).pk}/{action}/")

    return reach


def entry_with_errors(page: Page, live_server) -> None:
    journal_of(page, live_server)
    visit(page, "/journal/entries/new/")
    press(page, "Save entry")
    expect(page.get_by_text("Choose how long it lasted.").first).to_be_visible()


def check_in_with_errors(page: Page, live_server) -> None:
    journal_of(page, live_server)
    visit(page, "/journal/day/")
    page.get_by_label("Hours slept the night before").fill("30")
    press(page, "Save check-in")
    expect(page.get_by_text("Enter hours of sleep from 0 to 24").first).to_be_visible()


def delete_check_in(page: Page, live_server) -> None:
    person = journal_of(page, live_server)
    visit(page, f"/journal/check-ins/{CheckInFactory(user=person).pk}/delete/")


def check_in_yesterday(page: Page, live_server) -> None:
    person = journal_of(page, live_server)
    visit(page, f"/journal/day/{person_today(person) - timedelta(days=1)}/")


def saved_check_page(suffix: str) -> Reach:
    def reach(page: Page, live_server) -> None:
        person = journal_of(page, live_server)
        visit(page, f"/journal/checks/{SavedCheckFactory(user=person).pk}/{suffix}")

    return reach


def plan_started(page: Page, live_server) -> None:
    journal_of(page, live_server, entries=5)
    visit(page, "/journal/plan/")
    press(page, "Start my 28-day plan today")
    expect(page.get_by_text("Your 28-day self-care plan starts today.")).to_be_visible()


def plan_day_saved(page: Page, live_server) -> None:
    plan_started(page, live_server)
    page.get_by_label("Sleep well").press("Space")
    press(page, "Save this day")
    expect(page.get_by_text("Steps done so far: 1 of 5 (20%)")).to_be_visible()


def plan_delete_page(page: Page, live_server) -> None:
    person = journal_of(page, live_server)
    plan = Plan.objects.create(user=person, started_on=person_today(person))
    visit(page, f"/journal/plan/{plan.pk}/delete/")


def import_without_a_file(page: Page, live_server) -> None:
    journal_of(page, live_server)
    visit(page, "/journal/import/")
    press(page, "Import")
    expect(page.get_by_role("alert")).to_contain_text("Choose the .json file you exported.")


# A journal file with one entry that cannot be right.
WRONG_FILE = json.dumps(
    {
        "format": "twitch-check-journal",
        "version": 1,
        "time_zone": "Europe/London",
        "entries": [{"occurred_at": "yesterday", "region": "eyelid", "intensity": 9}],
    }
).encode()


def import_file(page: Page, live_server, content: bytes) -> None:
    """A new person uploads `content` on the import page."""
    journal_of(page, live_server)
    visit(page, "/journal/import/")
    page.get_by_label("Your journal file").set_input_files(
        {"name": "journal.json", "mimeType": "application/json", "buffer": content}
    )
    press(page, "Import")


def import_a_wrong_file(page: Page, live_server) -> None:
    import_file(page, live_server, WRONG_FILE)
    expect(page.get_by_text("Nothing was imported")).to_be_visible()


def import_a_good_file(page: Page, live_server) -> None:
    source = make_person("exported@example.com")
    add_entries(source, 3)
    import_file(page, live_server, json.dumps(export_data(source)).encode())
    expect(page.get_by_text("Waiting to start")).to_be_visible()


def import_saved(page: Page, live_server) -> None:
    import_a_good_file(page, live_server)
    run_tasks()
    expect(page.get_by_text("3 new records added")).to_be_visible()


# Signed out ------------------------------------------------------------------------------


def sign_in_with_a_wrong_password(page: Page, live_server) -> None:
    make_person()
    visit(page, "/journal/sign-in/")
    page.get_by_label("Email address").fill("ana@example.com")
    page.get_by_label("Password").fill("not-the-password")
    press(page, "Sign in")
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))


def sign_in_paused(page: Page, live_server) -> None:
    make_person()
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/journal/sign-in/", {"username": "ana@example.com", "password": "wrong"})
    visit(page, "/journal/sign-in/")
    page.get_by_label("Email address").fill("ana@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    press(page, "Sign in")
    expect(page.get_by_role("heading", name="Too many sign-in attempts")).to_be_visible()


def sign_up_empty(page: Page, live_server) -> None:
    visit(page, "/journal/sign-up/")
    press(page, "Create account")
    expect(page.get_by_text("Enter your email address.").first).to_be_visible()


def sign_up_sent(page: Page, live_server) -> None:
    visit(page, "/journal/sign-up/")
    page.get_by_label("Email address").fill("cy@example.com")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    press(page, "Create account")
    expect(page.get_by_text("cy@example.com").first).to_be_visible()


def password_reset_sent(page: Page, live_server) -> None:
    visit(page, "/journal/password-reset/")
    page.get_by_label("Email").fill("ana@example.com")
    press(page, "Email me a link")
    page.wait_for_url("**/password-reset/sent/")


def password_reset_link(page: Page, live_server) -> None:
    person = make_person()
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    visit(page, f"/journal/password-reset/{uid}/{default_token_generator.make_token(person)}/")
    page.wait_for_url("**/set-password/")


# The self-check --------------------------------------------------------------------------

# Answers that lead to each kind of result: the benign path with a few answers changed.
LEVEL_ANSWERS = {
    "emergency": {"emergency_signs": "yes"},
    "immediate": {"emergency_signs": "came_and_went"},
    "urgent_referral": {"numbness": "numbness"},
    "tests": {"weakness": "yes"},
    "see_doctor": {"spread": "several_areas"},
    "eye_specialist": {
        "age": "16_or_over",
        "area": "eyelid",
        "eyelid_duration": "over_2_weeks",
        "eyelid_spread": "no",
        "eyelid_droop": "no",
        "eyelid_closing": "no",
        "eyelid_eye": "no",
        "medicine": "no",
    },
    "self_care": {},
}
# A child's result takes a level of its own vocabulary, with the advice for parents.
CHILD = {"age": "under_16"}


def answered(page: Page, live_server, changes: dict[str, str]) -> None:
    """Give the browser a visitor's session with the self-check answered so far."""
    client = Client()
    answers = {"emergency_signs": "no", **changes} if "area" in changes else BENIGN | changes
    for question_id, value in answers.items():
        response = answer(client, question_id, value)
        if response.status_code != 302 or "/result/" in response["Location"]:
            break
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def result(changes: dict[str, str], level: str) -> Reach:
    def reach(page: Page, live_server) -> None:
        answered(page, live_server, changes)
        visit(page, "/check/result/")
        label = get_ruleset().level(level).label
        expect(page.get_by_text(label, exact=True).first).to_be_visible()

    return reach


def start_with_a_result(page: Page, live_server) -> None:
    answered(page, live_server, {})
    visit(page, "/check/")
    expect(page.get_by_role("button", name="Continue to your result")).to_be_visible()


def check_answers(page: Page, live_server) -> None:
    answered(page, live_server, {})
    visit(page, "/check/answers/")


def question_unanswered(page: Page, live_server) -> None:
    visit(page, "/check/q/emergency_signs/")
    press(page, "Continue")
    expect(page.get_by_role("alert")).to_be_visible()


def explainers() -> list[State]:
    """Enough explainer pages to show each kind: every block, call to action and opening."""

    def kinds(page) -> set[str]:
        blocks = set(re.findall(r"\[\[block:([a-z_]+)\]\]", page.body)) or {"no block"}
        return blocks | {f"cta {page.cta}", f"emergency first {page.leads_with_emergency}"}

    shown, chosen = set(), []
    for page in sorted(get_pages().values(), key=lambda page: -len(kinds(page))):
        if not kinds(page) <= shown:
            shown |= kinds(page)
            chosen.append(page.slug)
    return [State(f"read-{slug}", "content:page", opened(f"/read/{slug}/")) for slug in chosen]


def share_link_made(page: Page, live_server) -> None:
    """A link made from the report page, shown once on the share page."""
    journal_of(page, live_server, entries=5)
    visit(page, "/journal/report/")
    page.get_by_role("link", name="Share this report with a clinician").press("Enter")
    press(page, "Make a link")
    expect(page.locator("#new-link")).to_be_visible()


def share_link_wrong_days(page: Page, live_server) -> None:
    journal_of(page, live_server)
    visit(page, "/journal/share/")
    page.get_by_label("How many days should the link work for?").fill("31")
    press(page, "Make a link")
    expect(page.get_by_role("alert")).to_contain_text("from 1 to 30")


def share_link_stop(page: Page, live_server) -> None:
    share_link_made(page, live_server)
    page.get_by_role("link", name="Stop").press("Enter")
    page.wait_for_url("**/stop/")


def shared_report(page: Page, live_server) -> None:
    """The report a link opens, in a browser with no account signed in."""
    share_link_made(page, live_server)
    link = page.locator("#new-link").inner_text().strip()
    page.context.clear_cookies()
    visit(page, link)


PAGES: list[State] = [
    State("home", "content:home", opened("/")),
    State("reading-list", "content:read", opened("/read/")),
    *explainers(),
    State("search", "content:search", opened("/search/")),
    State("search-results", "content:search", opened("/search/?q=eyelid")),
    State("search-no-results", "content:search", opened("/search/?q=xylophone")),
    State("about", "content:about", opened("/about/")),
    State("privacy", "content:privacy", opened("/privacy/")),
    State("accessibility", "content:accessibility", opened("/accessibility/")),
    State("contact", "content:contact", opened("/contact/")),
    State("not-found", None, opened("/no-such-page/", 404)),
    State("check-start", "triage:start", opened("/check/")),
    State("check-start-with-a-result", "triage:start", start_with_a_result),
    State("question", "triage:question", opened("/check/q/emergency_signs/")),
    State("question-unanswered", "triage:question", question_unanswered),
    State("check-answers", "triage:answers", check_answers),
    *(
        State(f"result-{level}", "triage:result", result(changes, level))
        for level, changes in LEVEL_ANSWERS.items()
    ),
    State("result-child", "triage:result", result(CHILD, "see_doctor")),
    State("journal-welcome", "journal:index", opened("/journal/")),
    State("sign-in", "accounts:login", opened("/journal/sign-in/")),
    State("sign-in-wrong-password", "accounts:login", sign_in_with_a_wrong_password),
    State("sign-in-paused", "accounts:login", sign_in_paused),
    State("sign-up", "accounts:signup", opened("/journal/sign-up/")),
    State("sign-up-empty", "accounts:signup", sign_up_empty),
    State("sign-up-sent", "accounts:signup", sign_up_sent),
    State("sign-up-link-expired", "accounts:signup_open", opened("/journal/sign-up/MQ/x-y/", 400)),
    State("password-reset", "accounts:password_reset", opened("/journal/password-reset/")),
    State("password-reset-sent", "accounts:password_reset_done", password_reset_sent),
    State("password-reset-link", "accounts:password_reset_confirm", password_reset_link),
    State(
        "password-reset-link-expired",
        "accounts:password_reset_confirm",
        opened("/journal/password-reset/MQ/x-y/"),
    ),
    State(
        "password-reset-complete",
        "accounts:password_reset_complete",
        opened("/journal/password-reset/complete/"),
    ),
    State("timeline-empty", "journal:index", signed_in("/journal/")),
    State("timeline", "journal:index", full_journal_at("/journal/")),
    State("log-a-twitch", "journal:entry_new", signed_in("/journal/entries/new/")),
    State("log-a-twitch-errors", "journal:entry_new", entry_with_errors),
    State("check-in", "journal:check_in", signed_in("/journal/day/")),
    State("check-in-errors", "journal:check_in", check_in_with_errors),
    State("check-in-yesterday", "journal:check_in_day", check_in_yesterday),
    State("delete-check-in", "journal:check_in_delete", delete_check_in),
    State("edit-entry", "journal:entry_edit", entry_page("edit")),
    State("delete-entry", "journal:entry_delete", entry_page("delete")),
    State("saved-check", "journal:saved_check", saved_check_page("")),
    State("delete-saved-check", "journal:saved_check_delete", saved_check_page("delete/")),
    State("patterns", "journal:patterns", full_journal_at("/journal/patterns/")),
    State("plan-none", "journal:plan", signed_in("/journal/plan/", entries=5)),
    State("plan-active", "journal:plan", plan_started),
    State("plan-day-saved", "journal:plan_check", plan_day_saved),
    State("delete-plan", "journal:plan_delete", plan_delete_page),
    State("report", "journal:report", full_journal_at("/journal/report/")),
    State("share-links", "sharing:links", signed_in("/journal/share/")),
    State("share-link-made", "sharing:links", share_link_made),
    State("share-link-wrong-days", "sharing:links", share_link_wrong_days),
    State("share-link-stop", "sharing:revoke", share_link_stop),
    State("shared-report", "sharing:shared", shared_report),
    State("import", "journal:import", signed_in("/journal/import/")),
    State("import-no-file", "journal:import", import_without_a_file),
    State("import-wrong-file", "journal:import", import_a_wrong_file),
    State("import-waiting", "journal:import_status", import_a_good_file),
    State("import-saved", "journal:import_status", import_saved),
    State("account", "accounts:account", signed_in("/journal/account/")),
    State("delete-account", "accounts:account_delete", signed_in("/journal/account/delete/")),
    State("choose-password", "accounts:choose_password", choose_password_page),
    State("change-password", "accounts:password_change", signed_in("/journal/account/password/")),
    State(
        "password-changed",
        "accounts:password_change_done",
        signed_in("/journal/account/password/done/"),
    ),
]
