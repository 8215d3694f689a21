"""Making a share link as its owner does, from the page, and reading the link back."""

import re

from django.test import Client

NEW_LINK = re.compile(r'id="new-link">([^<]+)<')
ONCE = re.compile(r'name="once" value="([^"]+)"')


def make_link(owner: Client, days: str = "7", query: str = "") -> str:
    """Make a link on the share page, signed in as its owner; the path it opens."""
    page = owner.get("/journal/share/" + query)
    once = ONCE.search(page.content.decode())[1]
    data = {"days": days, "once": once}
    for name in ("report_from", "report_to"):
        found = re.search(rf'name="{name}" value="([^"]*)"', page.content.decode())
        data[name] = found[1] if found else ""
    response = owner.post("/journal/share/" + query, data)
    assert response.status_code == 302, response.content.decode()
    shown = owner.get(response["Location"]).content.decode()
    return NEW_LINK.search(shown)[1].removeprefix("http://testserver")
