"""Every route of the site, for checks that must hold everywhere."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
BY_NAME = {"question_id": "emergency_signs", "slug": "faq"}
BY_KIND = {"int": "1", "str": "sample", "slug": "sample", "path": "sample", "day": "2026-12-01"}


def site_paths() -> list[str]:
    """Every route of the site, with placeholder values for its parameters."""
    paths = []

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if route.startswith("admin/"):
                continue
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern):
                if route.startswith("^"):
                    continue
                filled = CONVERTER.sub(
                    lambda m: BY_NAME.get(m["name"]) or BY_KIND.get(m["kind"] or "str", "x"), route
                )
                paths.append("/" + filled.replace("$", ""))

    walk(get_resolver().url_patterns, "")
    return sorted(set(paths))


def site_route_names() -> set[str]:
    """The name of every named route of the site, as `reverse` takes it ("journal:plan")."""
    names = set()

    def walk(patterns, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace != "admin":
                    inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                    walk(entry.url_patterns, inner)
            elif entry.name:
                names.add(namespace + entry.name)

    walk(get_resolver().url_patterns, "")
    return names
