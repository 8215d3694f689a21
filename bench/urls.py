from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.urls import include, path
from django.views.decorators.cache import never_cache


def bare(request: HttpRequest) -> HttpResponse:
    """The yardstick: the same middleware, no work."""
    return HttpResponse("ok")


@never_cache
def bare_form(request: HttpRequest) -> HttpResponse:
    """The least a self-check page does: read the session, give out a freshly masked CSRF
    token (which refreshes the CSRF cookie) and forbid caching; the most it can reach."""
    request.session.get("answers")
    return HttpResponse(get_token(request))


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/bare-form/", bare_form),
    path("", include("config.urls")),
]
