from django.contrib import admin
from django.urls import include, path

from config.health import health
from journal.views import save_result

urlpatterns = [
    # The self-check's result page posts here; saving it is the journal's work.
    path("check/save/", save_result, name="save_result"),
    path("check/", include("triage.urls")),
    # The account pages sit beside the journal they open, at /journal/sign-in/ and so on.
    path("journal/", include("accounts.urls")),
    path("journal/", include("journal.urls")),
    # A report's share links, at /journal/share/, and the pages they open, at /shared/.
    path("", include("sharing.urls")),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("", include("content.urls")),
]

# A database that cannot be reached for a moment answers a calm 503 with Retry-After;
# anything else the usual 500 page (reliability/errors.py).
handler500 = "reliability.errors.server_error"
