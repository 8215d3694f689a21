import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data: dict) -> SafeString:
    """Structured data as a JSON block: browsers never run it, so the CSP allows it."""
    payload = json.dumps(data, ensure_ascii=False).translate(JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', SafeString(payload))
