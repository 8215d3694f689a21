from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("check/", include("triage.urls")),
    path("journal/", include("journal.urls")),
    path("admin/", admin.site.urls),
    path("", include("content.urls")),
]
