from django.urls import path

from journal import insight_views, views

app_name = "journal"

urlpatterns = [
    path("", views.index, name="index"),
    path("quick-add/", views.quick_add, name="quick_add"),
    path("entries/new/", views.entry_new, name="entry_new"),
    path("entries/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path(
        "entries/<int:pk>/delete/",
        views.confirm_delete,
        {"deletion": views.ENTRY_DELETION},
        name="entry_delete",
    ),
    path("checks/<int:pk>/", views.saved_check, name="saved_check"),
    path(
        "checks/<int:pk>/delete/",
        views.confirm_delete,
        {"deletion": views.SAVED_CHECK_DELETION},
        name="saved_check_delete",
    ),
    path("patterns/", insight_views.patterns, name="patterns"),
    path("plan/", insight_views.plan, name="plan"),
    path("plan/start/", insight_views.plan_start, name="plan_start"),
    path("plan/check/", insight_views.plan_check, name="plan_check"),
    path("plan/<int:pk>/end/", insight_views.plan_finish, name="plan_finish"),
    path(
        "plan/<int:pk>/delete/",
        views.confirm_delete,
        {"deletion": views.PLAN_DELETION},
        name="plan_delete",
    ),
    path("report/", insight_views.report, name="report"),
    path("report.pdf", insight_views.report_pdf, name="report_pdf"),
    path("export.csv", insight_views.export_journal_csv, name="export_csv"),
    path("export.json", insight_views.export_journal_json, name="export_json"),
    path("import/", insight_views.import_data, name="import"),
    path("import/<int:pk>/", insight_views.import_status, name="import_status"),
]
