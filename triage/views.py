from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.htmx import render_part, vary_on_htmx
from config.pdf import pdf_response
from content.pages import get_pages
from triage.answers import (
    clear_answers,
    first_unanswered_url,
    get_answers,
    has_result,
    note_result_shown,
    save_answer,
    saved_check_id,
    start_run,
)
from triage.engine import Assessment, Question, assess, get_ruleset
from triage.forms import AnswerForm

RETURN_TO_CHECK = "?return=check"


def question_url(question: Question, *, returning: bool = False) -> str:
    url = reverse("triage:question", args=[question.id])
    return url + RETURN_TO_CHECK if returning else url


def first_unanswered(answers: dict[str, str]) -> HttpResponse:
    return redirect(first_unanswered_url(answers))


def url_after_answer(answers: dict[str, str], answered: Question, *, returning: bool) -> str:
    """Where to go once `answered` is saved.

    An answer that ends the flow (an emergency sign, or one that came and went) goes
    straight to the result. Coming from "Check your answers",
    only questions the change has newly opened are asked before going back there.
    Otherwise the next applicable question follows, answered or not, as in a paper form:
    someone who went back a few steps walks forward through their earlier answers.
    """
    ruleset = get_ruleset()
    if answers.get(answered.id) in answered.ends_flow_when or assess(answers).is_emergency:
        return reverse("triage:result")
    if returning:
        following = ruleset.next_question(answers)
    else:
        applicable = ruleset.applicable_questions(answers)
        if answered in applicable:
            later = applicable[applicable.index(answered) + 1 :]
            following = later[0] if later else None
        else:
            following = ruleset.next_question(answers)
    if following is None:
        return reverse("triage:answers")
    return question_url(following, returning=returning)


def answer_rows(answers: dict[str, str]) -> list[tuple[Question, str]]:
    return [
        (question, question.label_for(answers[question.id]))
        for question in get_ruleset().applicable_questions(answers)
        if question.id in answers
    ]


@vary_on_htmx
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    answers = get_answers(request.session)
    finished = has_result(answers)
    context = {
        "has_answers": bool(answers),
        "has_result": finished,
        "continue_url": reverse("triage:result") if finished else first_unanswered_url(answers),
    }
    return render_part(request, "triage/start.html", "step", context)


@never_cache
@vary_on_htmx
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, question_id: str) -> HttpResponse:
    ruleset = get_ruleset()
    try:
        current = ruleset.question(question_id)
    except KeyError:
        raise Http404("No such question.") from None
    answers = get_answers(request.session)
    applicable = ruleset.applicable_questions(answers)
    if current not in applicable:
        return first_unanswered(answers)
    position = applicable.index(current)
    if any(q.id not in answers for q in applicable[:position]):
        return first_unanswered(answers)

    returning = request.GET.get("return") == "check"
    form = None
    if request.method == "POST":
        form = AnswerForm(current, request.POST)
        if form.is_valid():
            if not position and not returning:
                # Answering the first question from the start is a new check.
                start_run(request.session)
            answers = save_answer(request.session, current.id, form.cleaned_data["answer"])
            return redirect(url_after_answer(answers, current, returning=returning))

    if returning:
        back_url = reverse("triage:answers")
    elif position:
        back_url = question_url(applicable[position - 1])
    else:
        back_url = reverse("triage:start")
    context = {
        "question": current,
        "form": form or AnswerForm(current, initial={"answer": answers.get(current.id)}),
        # No "of N": the number of questions depends on the answers still to come.
        "number": position + 1,
        "back_url": back_url,
        "action_url": question_url(current, returning=returning),
    }
    response = render_part(request, "triage/question.html", "step", context)
    if form is not None and request.htmx:
        # The same step again, with its errors: the address has not changed.
        response["HX-Push-Url"] = "false"
    return response


@never_cache
@vary_on_htmx
@require_GET
def check_answers(request: HttpRequest) -> HttpResponse:
    answers = get_answers(request.session)
    if not has_result(answers):
        return first_unanswered(answers)
    rows = answer_rows(answers)
    context = {"rows": rows, "back_url": question_url(rows[-1][0])}
    return render_part(request, "triage/check_answers.html", "step", context)


def result_context(answers: dict[str, str]) -> dict:
    """What the result page and its PDF show: one level, its reasons and the answers."""
    assessment: Assessment = assess(answers)
    ruleset = get_ruleset()
    pages = get_pages()
    reasons = [
        (finding, pages[finding.explainer].title if finding.explainer in pages else "")
        for finding in assessment.findings
    ]
    matched = set(assessment.checklist_matched)
    worry = ruleset.reassurance.explainer if ruleset.reassurance else ""
    return {
        "assessment": assessment,
        # The explainer about worry and checking, named beside a benign result's reassurance.
        "worry_page_title": pages[worry].title if worry in pages else "",
        "reasons": reasons,
        "checklist_items": [item for item in ruleset.checklist if item.id in matched],
        "ruleset": ruleset,
        "rows": answer_rows(answers),
        "checked_on": timezone.localdate(),
    }


@never_cache
@vary_on_htmx
@require_GET
def result(request: HttpRequest) -> HttpResponse:
    answers = get_answers(request.session)
    if not has_result(answers):
        return first_unanswered(answers)
    saved_id = None
    if request.user.is_authenticated:
        saved_id = saved_check_id(request.session, request.user.pk, answers)
    # The day of an earlier check in this session with exactly these answers, if any.
    earlier = note_result_shown(request.session, answers, timezone.localdate())
    context = result_context(answers) | {
        "saved_id": saved_id,
        "pdf_url": reverse("triage:result_pdf"),
        "earlier_same_check": earlier,
    }
    return render_part(request, "triage/result.html", "step", context)


@never_cache
@require_GET
def result_pdf(request: HttpRequest) -> HttpResponse:
    """The result as a PDF, from this visitor's own answers, which only their session holds."""
    answers = get_answers(request.session)
    if not has_result(answers):
        return first_unanswered(answers)
    context = result_context(answers)
    # The clinician's summary at the top names each question in full.
    context["summary_rows"] = [(question.text, answer) for question, answer in context["rows"]]
    if context["ruleset"].reassurance:
        # A printed copy cannot follow a link: it shows the whole address.
        worry_path = reverse("content:page", args=[context["ruleset"].reassurance.explainer])
        context["worry_url"] = request.build_absolute_uri(worry_path)
    return pdf_response(
        request, "triage/result_pdf.html", context, filename="twitch-check-result.pdf"
    )


@require_POST
def start_again(request: HttpRequest) -> HttpResponse:
    clear_answers(request.session)
    return redirect("triage:start")
