from django.contrib import admin
from django.urls import include, path

from config.health import health

urlpatterns = [
    path("check/", include("triage.urls")),
    path("journal/", include("journal.urls")),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("", include("content.urls")),
]
