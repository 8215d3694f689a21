import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from content.forms import SearchForm

register = template.Library()

JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data: dict) -> SafeString:
    """Structured data as a JSON block: browsers never run it, so the CSP allows it."""
    payload = json.dumps(data, ensure_ascii=False).translate(JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', SafeString(payload))


@register.inclusion_tag("content/_search_form.html", takes_context=True)
def search_form(context: template.Context, *, live: bool = False) -> dict:
    """The search box, holding the words of the current search."""
    return {"form": SearchForm(initial={"q": context.get("query", "")}, live=live)}
