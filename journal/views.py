"""Accounts, the timeline, entries, and self-check results saved to the journal.

Every view that takes an id looks it up through the signed-in person's own objects
(`selectors.get_entry`, `selectors.get_saved_check`), so anybody else's id is not found.
"""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap

from config.htmx import swaps_part, vary_on_htmx
from journal import selectors, services, throttles
from journal.forms import (
    ChangePasswordForm,
    DeleteAccountForm,
    EntryForm,
    FilterForm,
    NewPasswordForm,
    QuickAddForm,
    ResetRequestForm,
    SignUpForm,
    TimeZoneForm,
)
from journal.lockout import client_address
from journal.models import UserManager
from journal.saved_results import level_label, readable_answers
from journal.timezones import person_tz
from triage.answers import (
    first_unanswered_url,
    get_answers,
    has_result,
    mark_saved,
    saved_check_id,
)
from triage.engine import assess

PAGE_SIZE = 25
SAVED_CHECKS_SHOWN = 10
QUICK_ADD_PREFIX = "quick"


def timeline_context(request: HttpRequest, query: dict) -> dict:
    """The filtered, paginated timeline: one count and one page of entries."""
    filters = FilterForm(query or None)
    filters.is_valid()
    entries = selectors.timeline(user=request.user, **filters.filters(person_tz(request.user)))
    page = Paginator(entries, PAGE_SIZE).get_page(query.get("page"))
    return {"filters": filters, "page": page, "entries": page.object_list}


def quick_add_form(request: HttpRequest) -> QuickAddForm:
    return QuickAddForm(prefix=QUICK_ADD_PREFIX, initial=selectors.usual_place(user=request.user))


@vary_on_htmx
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "journal/welcome.html")
    if swaps_part(request):
        return render(
            request, "journal/_timeline_update.html", timeline_context(request, request.GET)
        )
    return render(request, "journal/index.html", index_context(request))


def index_context(request: HttpRequest) -> dict:
    checks = list(selectors.saved_checks(user=request.user)[:SAVED_CHECKS_SHOWN])
    for check in checks:
        check.level_label = level_label(check.level)
    return timeline_context(request, request.GET) | {
        "quick_form": quick_add_form(request),
        "saved_checks": checks,
    }


@require_POST
@login_required
def quick_add(request: HttpRequest) -> HttpResponse:
    form = QuickAddForm(request.POST, prefix=QUICK_ADD_PREFIX)
    if not form.is_valid():
        message = "Choose an area and a side from the lists, then try again."
        if request.htmx:
            return reswap(
                render(request, "journal/_quick_status.html", {"message": message}), "none"
            )
        messages.error(request, message)
        return redirect("journal:index")
    entry = services.entry_quick_add(
        user=request.user, region=form.cleaned_data["region"], side=form.cleaned_data["side"]
    )
    local = timezone.localtime(entry.occurred_at)
    message = (
        f"Twitch logged: {entry.get_region_display()} "
        f"({entry.get_side_display().lower()}) at {local:%H:%M}."
    )
    if request.htmx:
        query = {key: value for key, value in request.POST.items() if key in FilterForm.base_fields}
        context = timeline_context(request, query) | {"message": message}
        return render(request, "journal/_timeline_update.html", context)
    messages.success(request, message)
    return redirect("journal:index")


@require_http_methods(["GET", "POST"])
@login_required
def entry_new(request: HttpRequest) -> HttpResponse:
    form = EntryForm(request.POST or None, initial=selectors.usual_place(user=request.user))
    if request.method == "POST" and form.is_valid():
        services.entry_create(user=request.user, data=form.cleaned_data)
        messages.success(request, "Your entry is saved.")
        return redirect("journal:index")
    return render(request, "journal/entry_form.html", {"form": form, "entry": None})


@require_http_methods(["GET", "POST"])
@login_required
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.get_entry(user=request.user, pk=pk)
    form = EntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        services.entry_update(entry=entry, data=form.cleaned_data)
        messages.success(request, "Your changes are saved.")
        return redirect("journal:index")
    return render(request, "journal/entry_form.html", {"form": form, "entry": entry})


@require_http_methods(["GET", "POST"])
@login_required
def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.get_entry(user=request.user, pk=pk)
    if request.method == "POST":
        services.entry_delete(entry=entry)
        messages.success(request, "The entry is deleted.")
        return redirect("journal:index")
    return render(request, "journal/entry_confirm_delete.html", {"entry": entry})


@require_POST
def save_result(request: HttpRequest) -> HttpResponse:
    """Save the self-check result in this visitor's session to their journal, once."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("triage:result"))
    answers = get_answers(request.session)
    if not has_result(answers):
        return redirect(first_unanswered_url(answers))
    if saved_check_id(request.session, request.user.pk, answers) is None:
        check = services.saved_check_create(
            user=request.user, answers=answers, assessment=assess(answers)
        )
        mark_saved(request.session, request.user.pk, answers, check.pk)
    messages.success(request, "This result is saved in your journal.")
    return redirect("triage:result")


@require_GET
@login_required
def saved_check(request: HttpRequest, pk: int) -> HttpResponse:
    check = selectors.get_saved_check(user=request.user, pk=pk)
    answers, rows = readable_answers(check.answers)
    return render(
        request,
        "journal/saved_check.html",
        {
            "check": check,
            "level_label": level_label(check.level),
            "rows": rows,
            "assessment": assess(answers),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def saved_check_delete(request: HttpRequest, pk: int) -> HttpResponse:
    check = selectors.get_saved_check(user=request.user, pk=pk)
    if request.method == "POST":
        services.saved_check_delete(check=check)
        messages.success(request, "The saved result is deleted.")
        return redirect("journal:index")
    return render(
        request,
        "journal/saved_check_confirm_delete.html",
        {"check": check, "level_label": level_label(check.level)},
    )


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("journal:index")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        for limit, key in (
            (throttles.ADDRESS_EMAILS, client_address(request)),
            (throttles.SIGN_UP_EMAILS, data["email"]),
        ):
            if not throttles.allow(limit, key):
                return throttles.refused(request, limit)
        services.user_sign_up(
            email=data["email"],
            password=data["password1"],
            time_zone=data["time_zone"],
            site_url=site_url(request),
        )
        return render(request, "registration/signup_sent.html", {"email": data["email"]})
    return render(request, "registration/signup.html", {"form": form})


@require_GET
def sign_up_open(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = services.user_open(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "registration/signup_open_failed.html", status=400)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, "Your account is ready. This is your journal.")
    return redirect("journal:index")


@require_http_methods(["GET", "POST"])
@login_required
def account(request: HttpRequest) -> HttpResponse:
    form = TimeZoneForm(request.POST or None, initial={"time_zone": request.user.time_zone})
    if request.method == "POST" and form.is_valid():
        services.user_set_time_zone(user=request.user, time_zone=form.cleaned_data["time_zone"])
        messages.success(request, "Your time zone is saved.")
        return redirect("journal:account")
    return render(request, "journal/account.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and not throttles.allow(
        throttles.PASSWORD_CHECKS, f"account:{request.user.pk}"
    ):
        return throttles.refused(request, throttles.PASSWORD_CHECKS)
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_delete(user=request.user)
        logout(request)
        messages.success(request, "Your account and everything in your journal are deleted.")
        return redirect("content:home")
    return render(request, "journal/account_delete.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change the password, with the current one checked at most `PASSWORD_CHECKS` times."""

    form_class = ChangePasswordForm

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not throttles.allow(throttles.PASSWORD_CHECKS, f"account:{request.user.pk}"):
            return throttles.refused(request, throttles.PASSWORD_CHECKS)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: ChangePasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        services.user_notify_password_changed(user=form.user, site_url=site_url(self.request))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Email a reset link, a few times an hour at most for an address or from a network.

    The limit counts requests for the address typed, whether or not it has an account."""

    form_class = ResetRequestForm

    def form_valid(self, form: ResetRequestForm) -> HttpResponse:
        email = UserManager.normalize_email(form.cleaned_data["email"])
        for limit, key in (
            (throttles.ADDRESS_EMAILS, client_address(self.request)),
            (throttles.RESET_EMAILS, email),
        ):
            if not throttles.allow(limit, key):
                return throttles.refused(self.request, limit)
        services.user_request_password_reset(email=email, site_url=site_url(self.request))
        return redirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set a new password from the emailed link; then sign-in is open again at once."""

    form_class = NewPasswordForm

    def form_valid(self, form: NewPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        services.user_unlock_sign_in(user=form.user)
        services.user_notify_password_changed(user=form.user, site_url=site_url(self.request))
        return response


def site_url(request: HttpRequest) -> str:
    """The address the request came to, for the links in account emails."""
    return request.build_absolute_uri("/").rstrip("/")
