from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from journal import insight_views, views
from journal.forms import EmailAuthenticationForm

app_name = "journal"

urlpatterns = [
    path("", views.index, name="index"),
    path("quick-add/", views.quick_add, name="quick_add"),
    path("entries/new/", views.entry_new, name="entry_new"),
    path("entries/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("checks/<int:pk>/", views.saved_check, name="saved_check"),
    path("checks/<int:pk>/delete/", views.saved_check_delete, name="saved_check_delete"),
    path("sign-up/", views.sign_up, name="signup"),
    path("sign-up/<uidb64>/<token>/", views.sign_up_open, name="signup_open"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            authentication_form=EmailAuthenticationForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", views.account, name="account"),
    path("account/delete/", views.account_delete, name="account_delete"),
    path(
        "account/password/",
        views.PasswordChangeView.as_view(success_url=reverse_lazy("journal:password_change_done")),
        name="password_change",
    ),
    path(
        "account/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password-reset/",
        views.PasswordResetView.as_view(success_url=reverse_lazy("journal:password_reset_done")),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("journal:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("patterns/", insight_views.patterns, name="patterns"),
    path("plan/", insight_views.plan, name="plan"),
    path("plan/start/", insight_views.plan_start, name="plan_start"),
    path("plan/check/", insight_views.plan_check, name="plan_check"),
    path("plan/<int:pk>/end/", insight_views.plan_finish, name="plan_finish"),
    path("plan/<int:pk>/delete/", insight_views.plan_delete, name="plan_delete"),
    path("report/", insight_views.report, name="report"),
    path("report.pdf", insight_views.report_pdf, name="report_pdf"),
    path("export.csv", insight_views.export_journal_csv, name="export_csv"),
    path("export.json", insight_views.export_journal_json, name="export_json"),
    path("import/", insight_views.import_data, name="import"),
    path("import/<int:pk>/", insight_views.import_status, name="import_status"),
]
