from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    """The yardstick: the same middleware, no work."""
    return HttpResponse("ok")


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("config.urls")),
]
