from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.page_cache import Context, render_shared, resolve_context
from journal.services import save_check
from triage.answers import clear_answers, get_answers, save_answer
from triage.engine import assess, get_ruleset
from triage.forms import AnswerForm


def render_step(
    request: HttpRequest, template: str, context: Context, answers: dict[str, str]
) -> HttpResponse:
    """A whole page, or just its step for an htmx swap (history restores get the page).

    A step shown by GET depends only on the answers so far, so its HTML is shared.
    """
    partial = request.htmx and not request.htmx.history_restore_request
    template = f"{template}#step" if partial else template
    if request.method != "GET":
        return render(request, template, resolve_context(context))
    version = (get_ruleset().version, tuple(answers.items()), date.today().isoformat())
    return render_shared(request, template, context, version)


def first_unanswered(answers: dict[str, str]) -> HttpResponse:
    question = get_ruleset().next_question(answers)
    if question is None:
        return redirect("triage:answers")
    return redirect("triage:question", question_id=question.id)


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    answers = get_answers(request.session)
    return render(request, "triage/start.html", {"has_answers": bool(answers)})


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
    if request.method == "POST":
        form = AnswerForm(current, request.POST)
        if form.is_valid():
            answers = save_answer(request.session, current.id, form.cleaned_data["answer"])
            if assess(answers).is_emergency:
                return redirect("triage:result")
            following = ruleset.next_question(answers)
            if following is None:
                return redirect("triage:answers")
            target = reverse("triage:question", args=[following.id])
            return redirect(f"{target}?return=check" if returning else target)
    else:
        form = None

    def context() -> dict:
        if returning:
            back_url = reverse("triage:answers")
        elif position:
            back_url = reverse("triage:question", args=[applicable[position - 1].id])
        else:
            back_url = reverse("triage:start")
        return {
            "question": current,
            "form": form or AnswerForm(current, initial={"answer": answers.get(current.id)}),
            "step": position + 1,
            "steps": max(len(ruleset.likely_path(answers)), position + 1),
            "back_url": back_url,
        }

    return render_step(request, "triage/question.html", context, answers)


@require_GET
def check_answers(request: HttpRequest) -> HttpResponse:
    answers = get_answers(request.session)
    ruleset = get_ruleset()
    if not answers or ruleset.next_question(answers) is not None:
        return first_unanswered(answers)
    rows = [
        (question, question.label_for(answers[question.id]))
        for question in ruleset.applicable_questions(answers)
    ]
    return render_step(request, "triage/check_answers.html", {"rows": rows}, answers)


@require_GET
def result(request: HttpRequest) -> HttpResponse:
    answers = get_answers(request.session)
    ruleset = get_ruleset()
    if not answers or ruleset.next_question(answers) is not None:
        return first_unanswered(answers)
    assessment = assess(answers)
    rows = [
        (question, question.label_for(answers[question.id]))
        for question in ruleset.applicable_questions(answers)
    ]
    return render_step(
        request,
        "triage/result.html",
        {"assessment": assessment, "ruleset": ruleset, "rows": rows},
        answers,
    )


@require_POST
def start_again(request: HttpRequest) -> HttpResponse:
    clear_answers(request.session)
    return redirect("triage:start")


@require_POST
@login_required
def save_result(request: HttpRequest) -> HttpResponse:
    answers = get_answers(request.session)
    if not answers or get_ruleset().next_question(answers) is not None:
        return first_unanswered(answers)
    save_check(request.user, answers, assess(answers))
    messages.success(request, "This result is saved in your journal.")
    return redirect("triage:result")
