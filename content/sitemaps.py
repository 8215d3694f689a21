from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from content.pages import Page, get_pages


class PageSitemap(Sitemap):
    changefreq = "monthly"

    def items(self) -> list[Page]:
        return list(get_pages().values())

    def location(self, item: Page) -> str:
        return reverse("content:page", args=[item.slug])

    def lastmod(self, item: Page):
        return item.last_reviewed


class StaticSitemap(Sitemap):
    changefreq = "monthly"

    def items(self) -> list[str]:
        return [
            "content:home",
            "content:read",
            "triage:start",
            "content:about",
            "content:privacy",
            "content:accessibility",
            "content:contact",
        ]

    def location(self, item: str) -> str:
        return reverse(item)
