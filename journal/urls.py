from datetime import date

from django.urls import path, register_converter

from journal import insight_views, views


class DayConverter:
    """A day in the path, like 2026-12-06; a date that does not exist is not found."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)

    def to_url(self, value: date) -> str:
        return value.isoformat()


register_converter(DayConverter, "day")

app_name = "journal"

urlpatterns = [
    path("", views.index, name="index"),
    path("quick-add/", views.quick_add, name="quick_add"),
    path("quick-add/<int:pk>/undo/", views.quick_undo, name="quick_undo"),
    path("entries/new/", views.entry_new, name="entry_new"),
    path("entries/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path(
        "entries/<int:pk>/delete/",
        views.confirm_delete,
        {"deletion": views.ENTRY_DELETION},
        name="entry_delete",
    ),
    path("day/", views.check_in, name="check_in"),
    path("day/<day:day>/", views.check_in, name="check_in_day"),
    path(
        "check-ins/<int:pk>/delete/",
        views.confirm_delete,
        {"deletion": views.CHECK_IN_DELETION},
        name="check_in_delete",
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
    path("export.fhir.json", insight_views.export_journal_fhir, name="export_fhir"),
    path("import/", insight_views.import_data, name="import"),
    path("import/<int:pk>/", insight_views.import_status, name="import_status"),
]
