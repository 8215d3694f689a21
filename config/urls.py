from django.contrib import admin
from django.urls import include, path

from config.health import health
from journal.views import save_result

urlpatterns = [
    # The self-check's result page posts here; saving it is the journal's work.
    path("check/save/", save_result, name="save_result"),
    path("check/", include("triage.urls")),
    path("journal/", include("journal.urls")),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("", include("content.urls")),
]
