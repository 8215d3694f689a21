from django.contrib.sitemaps.views import sitemap
from django.urls import path

from content import views
from content.sitemaps import PageSitemap, StaticSitemap

app_name = "content"

urlpatterns = [
    path("", views.home, name="home"),
    path("read/", views.read, name="read"),
    path("read/<slug:slug>/", views.page, name="page"),
    path("search/", views.search_pages, name="search"),
    path("about/", views.about, name="about"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("contact/", views.contact, name="contact"),
    path("robots.txt", views.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"pages": PageSitemap, "site": StaticSitemap}},
        name="sitemap",
    ),
]
