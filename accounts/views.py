"""Sign-up, sign-in, passwords, the time zone and deleting the account."""

from axes.utils import reset as reset_sign_in_failures
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_http_methods

from accounts import tasks, throttles
from accounts.forms import (
    ChangePasswordForm,
    DeleteAccountForm,
    NewPasswordForm,
    ResetRequestForm,
    SignUpForm,
    TimeZoneForm,
)
from accounts.lockout import client_address
from accounts.models import AccountEmail, SignedInSession, SignUpCheck, User
from triage.answers import get_answers, has_result, restore_answers


def site_url(request: HttpRequest) -> str:
    """The address the request came to, for the links in account emails."""
    return request.build_absolute_uri("/").rstrip("/")


def safe_next(request: HttpRequest) -> str:
    """The `next` path sent with the request, if it is one on this site; else ""."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if allowed and url.startswith("/") else ""


def result_to_carry(request: HttpRequest, next_url: str) -> dict[str, str] | None:
    """The self-check answers a sign-up started from their result carries to the account."""
    answers = get_answers(request.session)
    if next_url == reverse("triage:result") and has_result(answers):
        return answers
    return None


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    """Email a link that opens a new account, or, if the address already has one, tell its
    holder someone tried: both answer alike, so neither can be told apart.

    A sign-up started from a self-check result keeps its answers with the account, so that
    the link, opened in any browser, comes back to that result (`sign_up_open`)."""
    next_url = safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or "journal:index")
    answers = result_to_carry(request, next_url)
    form = SignUpForm(request.POST or None, answers=answers)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        for limit, key in (
            (throttles.ADDRESS_EMAILS, client_address(request)),
            (throttles.SIGN_UP_EMAILS, email),
        ):
            if not throttles.allow(limit, key):
                return throttles.refused(request, limit, key)
        with transaction.atomic():
            user = form.save()
            # The worker makes the link when it sends the email. A later sign-up sets a
            # new password, which stops any link sent for this one from working, and
            # replaces this email if it is not sent yet.
            kind = AccountEmail.Kind.ALREADY_OPEN if user.is_active else AccountEmail.Kind.SIGN_UP
            tasks.queue_email(kind, site_url=site_url(request), user=user)
        return render(request, "registration/signup_sent.html", {"email": email, "next": next_url})
    context = {"form": form, "next": next_url, "carries_result": answers is not None}
    return render(request, "registration/signup.html", context)


@require_GET
def sign_up_open(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Open the account and sign in; then back to the self-check result the sign-up
    started from, if it did, and first to choosing a password if two sign-ups differed."""
    user = User.objects.open_account(uidb64, token)
    if user is None:
        return render(request, "registration/signup_open_failed.html", status=400)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    answers = SignUpCheck.objects.take(user)
    if answers and has_result(restore_answers(request.session, answers)):
        then = reverse("triage:result")
        ready = (
            "You can save this result to your journal. It comes from the answers given when "
            "this account was asked for: if they are not yours, do not save it."
        )
    else:
        then, ready = reverse("journal:index"), "This is your journal."
    if not user.has_usable_password():
        messages.success(request, "Your account is open.")
        return redirect(f"{reverse('accounts:choose_password')}?{urlencode({'next': then})}")
    messages.success(request, f"Your account is ready. {ready}")
    return redirect(then)


@require_http_methods(["GET", "POST"])
@login_required
def choose_password(request: HttpRequest) -> HttpResponse:
    """Choose a password for an account opened without one (see `UserManager.sign_up`)."""
    next_url = safe_next(request) or reverse("journal:index")
    if request.user.has_usable_password():
        return redirect(next_url)
    form = NewPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        SignedInSession.objects.end(user, keep=request.session.session_key)
        messages.success(request, "Your password is saved.")
        return redirect(next_url)
    return render(request, "accounts/choose_password.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
@login_required
def account(request: HttpRequest) -> HttpResponse:
    form = TimeZoneForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your time zone is saved.")
        return redirect("accounts:account")
    return render(request, "accounts/account.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    key = f"account:{request.user.pk}"
    if request.method == "POST" and not throttles.allow(throttles.PASSWORD_CHECKS, key):
        return throttles.refused(request, throttles.PASSWORD_CHECKS, key)
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Ends every session of theirs, this one among them; signing out then gives
        # this browser a new, empty one.
        request.user.delete_account()
        logout(request)
        messages.success(request, "Your account and everything in your journal are deleted.")
        return redirect("content:home")
    return render(request, "accounts/account_delete.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change the password, with the current one checked at most `PASSWORD_CHECKS` times;
    every other session the person is signed in with ends."""

    form_class = ChangePasswordForm

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        key = f"account:{request.user.pk}"
        if not throttles.allow(throttles.PASSWORD_CHECKS, key):
            return throttles.refused(request, throttles.PASSWORD_CHECKS, key)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: ChangePasswordForm) -> HttpResponse:
        # Django keeps this session signed in, under a new key (update_session_auth_hash).
        response = super().form_valid(form)
        SignedInSession.objects.end(form.user, keep=self.request.session.session_key)
        tasks.password_changed(form.user, site_url(self.request))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Email a reset link, a few times an hour at most for an address or from a network.

    The limit counts requests for the address typed, whether or not it has an account;
    the request only queues the email, and the worker looks the address up."""

    form_class = ResetRequestForm

    def form_valid(self, form: ResetRequestForm) -> HttpResponse:
        email = User.objects.normalize_email(form.cleaned_data["email"])
        for limit, key in (
            (throttles.ADDRESS_EMAILS, client_address(self.request)),
            (throttles.RESET_EMAILS, email),
        ):
            if not throttles.allow(limit, key):
                return throttles.refused(self.request, limit, key)
        kind = AccountEmail.Kind.PASSWORD_RESET
        tasks.queue_email(kind, site_url=site_url(self.request), address=email)
        return redirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set a new password from the emailed link (Django's token, which works for
    PASSWORD_RESET_TIMEOUT); then every session signed in to the account ends, and
    sign-in is open again at once: the person has just proved, through the email, that
    the account is theirs."""

    form_class = NewPasswordForm

    def form_valid(self, form: NewPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        ended = SignedInSession.objects.end(form.user)
        if self.request.session.session_key in ended:
            # This browser was signed in to the account: its session is deleted, so it
            # starts a new one rather than save the old again.
            self.request.session.flush()
        reset_sign_in_failures(username=form.user.get_username())
        tasks.password_changed(form.user, site_url(self.request))
        return response
