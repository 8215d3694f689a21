from django import template
from django.utils.html import format_html

from reliability.once import FIELD, new_token

register = template.Library()


@register.simple_tag
def once_field() -> str:
    """A hidden one-time token for a form whose view is `@sent_once`: a new one each time
    the form is drawn."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())
