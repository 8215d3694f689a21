import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import escape

from journal.models import SavedCheck
from tests.page_text import visible_text
from tests.triage.answer_sets import BENIGN, EYELID
from tests.triage.walk import FULL_PATH, answer
from triage.answers import SEEN_KEY, SESSION_KEY
from triage.engine import assess, get_ruleset

pytestmark = pytest.mark.django_db


def progress(response) -> str:
    """The progress caption above a question, as a person reads it."""
    match = re.search(r'<span class="govuk-caption-l">([^<]*)</span>', response.content.decode())
    assert match, "no progress caption"
    return match[1]


def h1(response) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S).group(1).strip()


def test_start_page_explains_the_check_and_starts_with_emergency_signs(client):
    response = client.get("/check/")
    html = response.content.decode()
    text = visible_text(html)
    assert "Check your twitch" in html
    assert 'href="/check/q/emergency_signs/"' in html
    # The first question lists the signs: the start page only says it will ask about them.
    assert "The first question asks about emergency signs" in text
    for sign in get_ruleset().emergency.signs:
        assert sign.text not in text
        assert sign.short not in text


def test_first_question_asks_about_emergency_signs_with_progress_and_why(client):
    response = client.get("/check/q/emergency_signs/")
    html = response.content.decode()
    assert h1(response) == "Have you had any of these emergency signs?"
    for sign in get_ruleset().emergency.signs:
        assert f"<li>{sign.text}</li>" in html
    # An ordinary question: the signs are a list under it, between the question and the
    # answers, not a separate red card.
    question = html[html.index("<fieldset") : html.index("</fieldset>")]
    signs = re.search(r'<ul class="govuk-list govuk-list--bullet">(.*?)</ul>', question, re.S)
    assert signs and get_ruleset().emergency.signs[0].text in signs[1]
    assert question.index("</legend>") < signs.start() < question.index('type="radio"')
    assert 'role="region"' not in question
    assert "Yes, earlier than that: it went away, and no doctor has checked it" in html
    assert progress(response) == "Question 1"
    assert "Why we ask this" in html
    assert 'href="/read/red-flags/"' in html


def test_each_answer_leads_to_the_next_question_then_to_check_your_answers(client):
    for (question_id, value), following in zip(FULL_PATH, [*FULL_PATH[1:], None], strict=True):
        response = answer(client, question_id, value)
        expected = f"/check/q/{following[0]}/" if following else "/check/answers/"
        assert response.url == expected


def test_progress_counts_questions_without_a_total_that_could_jump(client):
    # The eyelid answer shortens the check from thirteen questions to nine: a total shown
    # before it would change under the person's feet.
    seen = [progress(client.get("/check/q/emergency_signs/"))]
    for question_id, value, following in [
        ("emergency_signs", "no", "age"),
        ("age", "16_or_over", "area"),
        ("area", "eyelid", "eyelid_duration"),
        ("eyelid_duration", "under_2_weeks", "eyelid_spread"),
    ]:
        assert answer(client, question_id, value).url == f"/check/q/{following}/"
        seen.append(progress(client.get(f"/check/q/{following}/")))
    assert seen == ["Question 1", "Question 2", "Question 3", "Question 4", "Question 5"]


def test_progress_on_the_longer_path_counts_on_from_the_same_questions(client):
    seen = []
    for question_id, value in FULL_PATH:
        seen.append(progress(client.get(f"/check/q/{question_id}/")))
        answer(client, question_id, value)
    assert seen == [f"Question {n}" for n in range(1, len(FULL_PATH) + 1)]


def test_eyelid_only_twitching_takes_the_short_path_to_an_eye_specialist(client):
    answer(client, "emergency_signs", "no")
    answer(client, "age", "16_or_over")
    assert answer(client, "area", "eyelid").url == "/check/q/eyelid_duration/"
    assert answer(client, "eyelid_duration", "over_2_weeks").url == "/check/q/eyelid_spread/"
    for question_id, value, following in [
        ("eyelid_spread", "no", "eyelid_droop"),
        ("eyelid_droop", "no", "eyelid_closing"),
        ("eyelid_closing", "no", "eyelid_eye"),
        ("eyelid_eye", "no", "medicine"),
    ]:
        assert answer(client, question_id, value).url == f"/check/q/{following}/"
    assert answer(client, "medicine", "no").url == "/check/answers/"
    result = client.get("/check/result/")
    assert h1(result) == "See an eye specialist"
    assert "more than 2 weeks" in result.content.decode()


def test_an_emergency_answer_goes_straight_to_the_emergency_result(client):
    response = answer(client, "emergency_signs", "yes")
    assert response.url == "/check/result/"
    result = client.get("/check/result/")
    html = result.content.decode()
    assert h1(result) == "Call the emergency number now"
    assert html.index("Call the emergency number now") < html.index("Why we suggest this")
    assert "https://www.nhs.uk/conditions/stroke/symptoms/" in html


def test_benign_answers_give_self_care_with_the_five_steps(client, answer_all):
    answer_all(client)
    result = client.get("/check/result/")
    html = result.content.decode()
    assert h1(result) == "Look after yourself at home"
    assert "Your five-step self-care plan" in html
    for step in get_ruleset().self_care_steps:
        assert f"<li><strong>{escape(step.title)}.</strong>" in html
    assert "This is not a diagnosis." in html
    assert "If it gets worse" in html


def test_spreading_twitches_advise_a_routine_gp_with_the_reason_linked(client, answer_all):
    # Without weakness or wasting, UK guidance sends twitches in several areas to a GP.
    answer_all(client, spread="several_areas")
    result = client.get("/check/result/")
    html = result.content.decode()
    assert h1(result) == get_ruleset().level("see_doctor").label
    assert "You said the twitching is in several areas" in html
    assert 'href="/read/benign-fasciculation-syndrome/"' in html


def test_every_result_carries_if_worse_advice_and_the_not_a_diagnosis_note(client, answer_all):
    answer_all(client, weakness="yes")
    html = client.get("/check/result/").content.decode()
    assert "If it gets worse" in html
    assert "This is not a diagnosis." in html
    assert f"Rules version {get_ruleset().version}" in html


def test_back_link_goes_to_the_previous_question_and_keeps_the_answer(client):
    answer(client, "emergency_signs", "no")
    answer(client, "age", "16_or_over")
    answer(client, "area", "elsewhere")
    html = client.get("/check/q/duration/").content.decode()
    assert 'href="/check/q/area/"' in html
    back = client.get("/check/q/area/").content.decode()
    assert re.search(r'value="elsewhere"\s+checked', back)


def test_check_your_answers_lists_every_answer_with_change_links(client, answer_all):
    answer_all(client)
    html = client.get("/check/answers/").content.decode()
    for question_id, _ in FULL_PATH:
        assert f'href="/check/q/{question_id}/?return=check"' in html
    assert "My eyelid, perhaps with other muscles in my face" not in html
    assert "Somewhere else in my body, with or without my eyelid" in html


def test_changing_an_answer_from_the_check_page_returns_there(client, answer_all):
    answer_all(client)
    form = client.get("/check/q/weakness/?return=check").content.decode()
    assert 'href="/check/answers/"' in form
    response = client.post("/check/q/weakness/?return=check", {"answer": "yes"})
    assert response.url == "/check/answers/"
    assert client.session[SESSION_KEY]["weakness"] == "yes"


def test_a_change_that_opens_new_questions_asks_them_before_returning(client):
    for question_id, value in EYELID.items():
        answer(client, question_id, value)
    response = client.post("/check/q/area/?return=check", {"answer": "elsewhere"})
    assert response.url == "/check/q/duration/?return=check"
    assert "eyelid_duration" not in client.session[SESSION_KEY]


@pytest.mark.parametrize(
    "path", ["/check/q/spread/", "/check/answers/", "/check/result/", "/check/q/eyelid_spread/"]
)
def test_skipping_ahead_redirects_to_the_first_unanswered_question(client, path):
    answer(client, "emergency_signs", "no")
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == "/check/q/age/"


def test_an_unknown_question_is_not_found(client):
    assert client.get("/check/q/favourite_colour/").status_code == 404


@pytest.mark.parametrize(
    "value", ["", "maybe", "<script>alert(1)</script>", "x" * 10_000, "' OR 1=1 --", "🙂"]
)
def test_an_invalid_answer_shows_the_error_summary_and_keeps_other_answers(client, value):
    answer(client, "emergency_signs", "no")
    answer(client, "age", "16_or_over")
    response = answer(client, "area", value)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'href="#id_answer_0"' in html
    assert '<a href="#id_answer_0">Select where the twitching is</a>' in html
    assert "<script>alert(1)</script>" not in html
    assert client.session[SESSION_KEY] == {"emergency_signs": "no", "age": "16_or_over"}


@pytest.mark.parametrize("question", get_ruleset().questions, ids=lambda q: q.id)
def test_every_question_has_its_own_short_error_message(question):
    others = [q.error for q in get_ruleset().questions if q is not question]
    assert question.error.startswith("Select ")
    assert question.error not in others
    assert question.text.rstrip("?") not in question.error
    assert len(question.error) < len(question.text) + 20


def test_continuing_without_an_answer_shows_that_questions_own_error(client):
    answer(client, "emergency_signs", "no")
    answer(client, "age", "16_or_over")
    answer(client, "area", "elsewhere")
    response = client.post("/check/q/duration/", {})
    html = response.content.decode()
    message = "Select how long you have had the twitching"
    assert h1(response) == "How long have you had the twitching?"
    assert f'<a href="#id_answer_0">{message}</a>' in html
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}</p>' in html
    assert "<title>Error: How long have you had the twitching? – Twitch Check</title>" in html
    assert "Select an answer to" not in html


def test_a_missing_answer_field_is_an_error_not_a_crash(client):
    response = client.post("/check/q/emergency_signs/", {"other": "1"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_a_tampered_session_is_ignored_not_trusted(client):
    session = client.session
    session[SESSION_KEY] = {
        "emergency_signs": "no",
        "age": "16_or_over",
        "area": "<b>",
        "weakness": 3,
    }
    session.save()
    assert client.get("/check/result/").url == "/check/q/area/"


def test_refreshing_after_an_answer_only_repeats_a_get(client):
    response = answer(client, "emergency_signs", "no")
    assert response.status_code == 302
    assert client.get(response.url).status_code == 200


def test_start_again_clears_every_answer(client, answer_all):
    answer_all(client)
    response = client.post("/check/start-again/")
    assert response.url == "/check/"
    assert SESSION_KEY not in client.session
    assert client.get("/check/result/").url == "/check/q/emergency_signs/"


def test_anonymous_answers_are_never_written_to_the_database(client, answer_all):
    answer_all(client, weakness="yes")
    client.get("/check/result/")
    assert SavedCheck.objects.count() == 0
    html = client.get("/check/result/").content.decode()
    assert "Sign in to save this to your journal" in html


def test_htmx_requests_get_just_the_step(client):
    answer(client, "emergency_signs", "no")
    answer(client, "age", "16_or_over")
    response = client.get("/check/q/area/", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith("<title>")
    assert '<div id="step"' in html
    assert "<title>Where is the twitching? – Twitch Check</title>" in html
    full = client.get(
        "/check/q/area/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in full.content.decode()


def test_continuing_after_going_back_walks_forward_through_earlier_answers(client):
    for question_id, value in FULL_PATH[:5]:
        answer(client, question_id, value)
    response = answer(client, "area", "elsewhere")
    assert response.url == "/check/q/duration/"
    page = client.get(response.url).content.decode()
    assert re.search(r'value="under_2_weeks"\s+checked', page)
    assert "Question 4<" in page


def test_check_your_answers_has_a_back_link_to_the_last_question(client, answer_all):
    answer_all(client)
    html = client.get("/check/answers/").content.decode()
    assert 'class="govuk-back-link" href="/check/q/self_care_tried/"' in html


def test_an_emergency_answer_checks_out_with_just_that_answer(client):
    answer(client, "emergency_signs", "yes")
    html = client.get("/check/answers/").content.decode()
    assert html.count('class="govuk-summary-list__row"') == 1
    assert client.get("/check/q/area/").url == "/check/answers/"


def test_changing_to_an_emergency_answer_from_the_check_page_goes_to_the_result(client, answer_all):
    answer_all(client)
    response = client.post("/check/q/emergency_signs/?return=check", {"answer": "yes"})
    assert response.url == "/check/result/"
    assert client.session[SESSION_KEY] == {"emergency_signs": "yes"}


def test_the_emergency_result_says_how_soon_before_anything_else(client):
    answer(client, "emergency_signs", "yes")
    html = client.get("/check/result/").content.decode()
    main = html[html.index("<main") :]
    assert main.index("Call the emergency number now") < main.index("How soon:")
    assert main.index("How soon:") < main.index("Why we suggest this")
    assert "five-step self-care plan" not in main


def call_buttons(html: str) -> list[tuple[str, str]]:
    """Each link shown as a warning button: its address and its words."""
    return re.findall(
        r'<a class="govuk-button govuk-button--warning[^"]*"[^>]*href="([^"]+)"[^>]*>([^<]+)</a>',
        html,
    )


def test_the_emergency_result_gives_a_call_button_before_the_signs_and_reasons(client):
    answer(client, "emergency_signs", "yes")
    html = client.get("/check/result/").content.decode()
    main = html[html.index("<main") :]
    first = get_ruleset().emergency.numbers[0].number
    assert call_buttons(main) == [(f"tel:{first}", f"Call {first}")]
    button = main.index(f'href="tel:{first}">Call {first}</a>')
    assert main.index("How soon:") < button < main.index("These signs need emergency help")
    assert button < main.index("Why we suggest this")


def test_a_result_that_is_not_an_emergency_has_no_call_button(client):
    answer(client, "emergency_signs", "came_and_went")
    html = client.get("/check/result/").content.decode()
    assert call_buttons(html) == []


def test_the_emergency_result_offers_no_account_or_saving_before_what_to_do(client):
    answer(client, "emergency_signs", "yes")
    html = client.get("/check/result/").content.decode()
    main = html[html.index("<main") :]
    emergency = get_ruleset().level("emergency")
    assert main.index(escape(emergency.how_soon)) < main.index("Your answers")
    assert "Do not drive yourself to hospital" in main[: main.index("Why we suggest this")]
    assert "Sign in to save" not in main
    assert main.index("Why we suggest this") < main.index("Change your answers")


def test_the_result_names_each_checklist_item_that_applies(client, answer_all):
    answer_all(client, weakness="yes", family_history="yes")
    html = client.get("/check/result/").content.decode()
    applies = html.split("Checklist items that apply to you: 2 of 6", 1)[1].split("</ul>", 1)[0]
    ruleset = get_ruleset()
    named = [item.id for item in ruleset.checklist if escape(item.text) in applies]
    assert named == ["weakness", "family"]


def test_each_reason_links_to_its_explainer_page_by_name(client, answer_all):
    answer_all(client, weakness="yes", worsening="yes")
    html = client.get("/check/result/").content.decode()
    assert re.search(r'<a class="govuk-link" href="/read/red-flags/">Read more: [^<]+</a>', html)
    assert 'href="/read/when-to-worry/"' in html
    assert "You said you have weakness where the twitching is." in html


def test_the_result_prints_with_its_date_and_rules_version(client, answer_all):
    answer_all(client)
    html = client.get("/check/result/").content.decode()
    assert re.search(r"Twitch Check self-check summary · Checked on \d{1,2} \w+ \d{4}", html)
    assert f"Rules version {get_ruleset().version}" in html


def test_question_pages_and_results_are_never_kept_in_a_shared_cache(client, answer_all):
    answer_all(client)
    for path in ("/check/q/area/", "/check/answers/", "/check/result/"):
        response = client.get(path)
        assert "no-store" in response["Cache-Control"]
        assert "HX-Request" in response["Vary"]


def test_going_back_to_the_start_page_restores_the_whole_page(client):
    restore = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    response = client.get("/check/", headers=restore)
    assert "<html" in response.content.decode()
    assert "HX-History-Restore-Request" in response["Vary"]


def test_a_hostile_return_parameter_is_not_echoed(client):
    response = client.get('/check/q/emergency_signs/?return="><script>alert(1)</script>')
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)" not in html
    assert 'action="/check/q/emergency_signs/"' in html


@pytest.mark.parametrize("path", ["/check/q/%3Cscript%3E/", "/check/q/../", "/check/q/AREA/"])
def test_odd_question_addresses_are_not_found(client, path):
    assert client.get(path).status_code == 404


def test_an_invalid_htmx_post_stays_at_the_same_address(client):
    response = client.post(
        "/check/q/emergency_signs/", {"answer": "perhaps"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Push-Url"] == "false"
    assert html.lstrip().startswith("<title>Error: ")
    assert 'role="alert"' in html


def test_a_valid_htmx_post_redirects_to_the_next_step_for_htmx_to_follow(client):
    response = client.post(
        "/check/q/emergency_signs/", {"answer": "no"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 302
    assert response.url == "/check/q/age/"
    step = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    heading = escape(get_ruleset().question("age").text)
    assert f'<h1 class="govuk-fieldset__heading" data-focus-on-swap>{heading}</h1>' in step
    assert "<html" not in step


def test_the_start_page_swaps_in_place_for_the_back_link_of_the_first_step(client):
    html = client.get("/check/", headers={"HX-Request": "true"}).content.decode()
    assert '<div id="step"' in html
    assert '<h1 class="govuk-heading-xl" data-focus-on-swap>Check your twitch</h1>' in html
    assert "<html" not in html


def test_start_again_forgets_a_saved_result_too(person_client, answer_all):
    answer_all(person_client)
    person_client.post(reverse("save_result"))
    person_client.post("/check/start-again/")
    assert set(person_client.session.keys()).isdisjoint({SESSION_KEY, "triage_saved"})


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_start_again_only_accepts_post(client, method):
    assert getattr(client, method)("/check/start-again/").status_code == 405


def test_emergency_signs_that_came_and_went_go_straight_to_a_same_day_doctor(client):
    response = answer(client, "emergency_signs", "came_and_went")
    assert response.url == "/check/result/"
    result = client.get("/check/result/")
    assert h1(result) == "Get checked by a doctor now"
    assert "mini-stroke (TIA)" in result.content.decode()


def test_sudden_numbness_goes_straight_to_the_emergency_result(client):
    for question_id, value in FULL_PATH:
        if question_id == "numbness":
            break
        answer(client, question_id, value)
    response = answer(client, "numbness", "sudden")
    assert response.url == "/check/result/"
    result = client.get("/check/result/")
    html = result.content.decode()
    assert h1(result) == "Call the emergency number now"
    for sign in get_ruleset().emergency.signs:
        assert f"<li>{sign.text}</li>" in html


def test_an_eyelid_result_shows_eyelid_timing(client):
    for question_id, value in EYELID.items():
        answer(client, question_id, value)
    html = client.get("/check/result/").content.decode()
    assert get_ruleset().eyelid_advice.what_to_do in html
    assert "3–4 weeks" not in html


def result_text(client) -> str:
    """The result page's main part, as a person reads it."""
    html = client.get("/check/result/").content.decode()
    return visible_text(html[html.index("<main") : html.index("</main>")])


def source_link(source) -> str:
    return f'<a class="govuk-link" href="{escape(source.url)}">{escape(source.title)}</a>'


WORRY_LINK = (
    '<a class="govuk-link" href="/read/worry-about-twitching/">'
    "If worry about twitching is taking over</a>"
)


def test_a_benign_result_answers_the_fear_of_mnd_with_its_sources_and_the_worry_page(
    client, answer_all
):
    answer_all(client)
    html = client.get("/check/result/").content.decode()
    text = visible_text(html)
    reassurance = assess(BENIGN).reassurance
    assert reassurance == get_ruleset().reassurance.body
    # Calmly, just after the next step and before the reasons.
    assert text.index("How soon:") < text.index(reassurance) < text.index("Why we suggest this")
    for source in get_ruleset().reassurance.sources:
        assert source_link(source) in html
    assert WORRY_LINK in html
    assert client.get("/read/worry-about-twitching/").status_code == 200


def test_a_benign_eyelid_result_answers_the_fear_of_mnd_for_an_eyelid(client):
    for question_id, value in EYELID.items():
        answer(client, question_id, value)
    text = result_text(client)
    assert get_ruleset().reassurance.eyelid in text
    assert get_ruleset().reassurance.body not in text
    assert "If worry about twitching is taking over" in text


@pytest.mark.parametrize(
    "changes", [{"weakness": "yes"}, {"wasting": "not_sure"}, {"numbness": "numbness"}]
)
def test_a_result_with_a_warning_sign_does_not_offer_the_mnd_reassurance(
    client, answer_all, changes
):
    answer_all(client, **changes)
    text = result_text(client)
    reassurance = get_ruleset().reassurance
    assert reassurance.body not in text
    assert reassurance.eyelid not in text
    assert "If worry about twitching is taking over" not in text


def test_every_reason_names_its_source_as_a_link_or_credits_the_article(client, answer_all):
    answer_all(client, weakness="yes", family_history="yes")
    html = client.get("/check/result/").content.decode()
    ruleset = get_ruleset()
    findings = assess({**BENIGN, "weakness": "yes", "family_history": "yes"}).findings
    assert any(finding.source.url is None for finding in findings)
    for finding in findings:
        if finding.source.url:
            assert f"Source: {source_link(finding.source)}" in html
        else:
            assert f"Source: {escape(finding.source.title)}" in html
    # The rules' authoring notes are for reviewers, never for the person checking.
    for rule in ruleset.rules:
        if rule.note:
            assert escape(rule.note) not in html


def test_a_child_gets_a_short_page_for_parents(client):
    answer(client, "emergency_signs", "no")
    assert answer(client, "age", "under_16").url == "/check/result/"
    html = client.get("/check/result/").content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    text = visible_text(main)
    children = get_ruleset().children
    assert "GP, or a health visitor" in children.what_to_do
    assert children.what_to_do in text
    assert source_link(children.source) in main
    assert visible_text(children.if_worse) in text
    for absent in (
        "five-step self-care plan",
        "litres",
        "Things that help an eyelid twitch",
        "Checklist items",
        "Sign in to save",
        "Save to my journal",
        "motor neurone disease",
    ):
        assert absent not in text
    # The emergency signs only as the one-line reminder, not the full list.
    assert "These signs need emergency help" not in text
    assert bare_numbers(html) == []
    assert "Change your answers" in text


def test_a_signed_in_parent_is_not_offered_the_journal_for_a_child(person_client):
    answer(person_client, "emergency_signs", "no")
    answer(person_client, "age", "under_16")
    text = result_text(person_client)
    assert "Save to my journal" not in text
    assert "track it in your journal" not in text


AGAIN = re.compile(r"self-check again|check again|start again|do the check", re.I)


@pytest.mark.parametrize(
    "answers",
    [
        BENIGN,
        {**BENIGN, "weakness": "yes"},
        EYELID,
        {"emergency_signs": "yes"},
        {"emergency_signs": "came_and_went"},
        {"emergency_signs": "no", "age": "under_16"},
    ],
    ids=["benign", "weakness", "eyelid", "emergency", "came-and-went", "child"],
)
def test_no_result_invites_another_check(client, answers):
    for question_id, value in answers.items():
        answer(client, question_id, value)
    html = client.get("/check/result/").content.decode()
    assert not AGAIN.findall(visible_text(html))
    assert "/check/start-again/" not in html
    assert 'href="/check/answers/">Change your answers</a>' in html


SAME_ANSWERS = "Nothing has changed since your last check on"


def test_the_same_answers_again_in_a_session_say_nothing_has_changed(client, answer_all):
    answer_all(client)
    assert SAME_ANSWERS not in result_text(client)
    # They go back to the start and give the same answers.
    answer_all(client)
    html = client.get("/check/result/").content.decode()
    text = visible_text(html)
    today = client.session[SEEN_KEY][-1]["on"]
    assert f"{SAME_ANSWERS} {format_day(today)}, so the answer is the same." in text
    assert "Checking again will not change it" in text
    assert "checking often tends to keep worry going" in text
    notice = html[html.index('class="govuk-notification-banner') : html.index("govuk-panel")]
    assert 'href="/read/worry-about-twitching/"' in notice
    # At the top: before the result itself.
    assert text.index(SAME_ANSWERS) < text.index(assess(BENIGN).level.label)
    # It stays the same on a reload of that result.
    assert SAME_ANSWERS in result_text(client)


def format_day(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def test_the_notice_names_the_day_of_the_earlier_check(client, answer_all):
    session = client.session
    session[SEEN_KEY] = [{"answers": BENIGN, "on": "2026-11-30"}]
    session.save()
    answer_all(client)
    assert f"{SAME_ANSWERS} 30 November 2026, so the answer is the same." in result_text(client)


def test_different_answers_the_second_time_say_nothing_about_an_earlier_check(client, answer_all):
    answer_all(client)
    client.get("/check/result/")
    answer_all(client, duration="over_2_weeks")
    assert SAME_ANSWERS not in result_text(client)


def test_reloading_a_result_is_not_a_second_check(client, answer_all):
    answer_all(client)
    for _ in range(3):
        assert SAME_ANSWERS not in result_text(client)
    # Looking at the answers and coming back, unchanged, is not one either.
    client.get("/check/answers/")
    client.post("/check/q/weakness/?return=check", {"answer": "no"})
    assert SAME_ANSWERS not in result_text(client)


def test_changing_an_answer_and_back_returns_to_an_earlier_result(client, answer_all):
    answer_all(client)
    client.get("/check/result/")
    client.post("/check/q/worsening/?return=check", {"answer": "yes"})
    assert SAME_ANSWERS not in result_text(client)
    client.post("/check/q/worsening/?return=check", {"answer": "no"})
    assert SAME_ANSWERS in result_text(client)


def test_an_emergency_result_never_carries_the_notice(client):
    answer(client, "emergency_signs", "yes")
    client.get("/check/result/")
    answer(client, "emergency_signs", "yes")
    assert SAME_ANSWERS not in result_text(client)


def test_the_session_keeps_only_the_answers_of_the_last_five_results(client, answer_all):
    runs = [
        {"duration": "over_2_weeks"},
        {"worsening": "yes"},
        {"medicine": "yes"},
        {"family_history": "yes"},
        {"spread": "several_areas"},
        {"numbness": "tingling"},
        {},
    ]
    for changes in runs:
        answer_all(client, **changes)
        client.get("/check/result/")
    seen = client.session[SEEN_KEY]
    assert [item["answers"] for item in seen] == [{**BENIGN, **c} for c in runs[-5:]]
    assert all(set(item) == {"answers", "on"} for item in seen)
    # The oldest has gone: its answers again are not a repeat.
    answer_all(client, **runs[0])
    assert SAME_ANSWERS not in result_text(client)


def test_a_tampered_list_of_earlier_checks_is_ignored(client, answer_all):
    session = client.session
    session[SEEN_KEY] = ["x", {"answers": BENIGN, "on": "yesterday"}, {"answers": 3}]
    session.save()
    answer_all(client)
    assert SAME_ANSWERS not in result_text(client)
    assert client.session[SEEN_KEY] == [
        {"answers": BENIGN, "on": client.session[SEEN_KEY][0]["on"]}
    ]


def test_the_self_check_says_it_is_for_adults(client):
    html = client.get("/check/").content.decode()
    assert "written for adults" in html
    assert "If a baby or child has twitching, talk to a doctor." in html


def bare_numbers(html: str) -> list[str]:
    """Phone numbers a person would see as plain text: outside any link, in the page body."""
    body = html.split("<body", 1)[1]
    body = re.sub(r"<script.*?</script>", " ", body, flags=re.S)
    body = re.sub(r"<a\b.*?</a>", " ", body, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", body)
    return re.findall(r"\b(?:999|112|911|111)\b", text)


def tel_links(html: str) -> set[str]:
    return {
        number
        for href, number in re.findall(r'<a class="govuk-link" href="tel:(\d+)">(\d+)</a>', html)
        if href == number
    }


@pytest.mark.parametrize("url", ["/check/q/emergency_signs/", "/read/red-flags/", "/contact/"])
def test_every_emergency_number_on_a_page_is_a_tap_to_call_link(client, url):
    html = client.get(url).content.decode()
    assert tel_links(html) >= {"999", "112", "911"}
    assert bare_numbers(html) == []


@pytest.mark.parametrize("url", ["/", "/check/", "/read/", "/read/faq/"])
def test_a_page_without_the_signs_names_a_number_only_in_its_link_to_them(client, url):
    html = client.get(url).content.decode()
    assert bare_numbers(html) == []
    first = get_ruleset().emergency.numbers[0].number
    assert f'href="/read/red-flags/#emergency-signs">Emergency? Call {first}</a>' in html


def test_the_emergency_result_makes_every_number_tap_to_call(client):
    answer(client, "emergency_signs", "yes")
    html = client.get("/check/result/").content.decode()
    next_step = re.search(r'<div class="govuk-panel__body">\s*<p>(.*?)</p>', html, re.S)[1]
    assert next_step.startswith('Call <a class="govuk-link" href="tel:999">999</a> (UK)')
    assert tel_links(html) >= {"999", "112", "911", "111"}
    assert bare_numbers(html) == []


def test_a_sign_that_came_and_went_gives_nhs_111_to_tap(client):
    answer(client, "emergency_signs", "came_and_went")
    html = client.get("/check/result/").content.decode()
    assert 'call NHS <a class="govuk-link" href="tel:111">111</a>' in html
    assert "111" in tel_links(html)
    assert bare_numbers(html) == []
