from django.urls import path

from journal.views import confirm_delete
from sharing import views

app_name = "sharing"

# The owner's pages sit in the journal, beside the report they share; the shared ones
# outside it.
urlpatterns = [
    path("journal/share/", views.links, name="links"),
    path(
        "journal/share/<int:pk>/stop/",
        confirm_delete,
        {"deletion": views.REVOCATION},
        name="revoke",
    ),
    path("shared/<str:token>/", views.shared, name="shared"),
    path("shared/<str:token>/report.pdf", views.shared_pdf, name="shared_pdf"),
]
