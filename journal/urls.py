from django.contrib.auth import views as auth_views
from django.urls import path

from journal import insight_views, views

app_name = "journal"

urlpatterns = [
    path("", views.index, name="index"),
    path("sign-in/", auth_views.LoginView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("patterns/", insight_views.patterns, name="patterns"),
    path("plan/", insight_views.plan, name="plan"),
    path("plan/start/", insight_views.plan_start, name="plan_start"),
    path("plan/check/", insight_views.plan_check, name="plan_check"),
    path("report/", insight_views.report, name="report"),
    path("export.csv", insight_views.export_journal_csv, name="export_csv"),
    path("export.json", insight_views.export_journal_json, name="export_json"),
    path("import/", insight_views.import_data, name="import"),
]
