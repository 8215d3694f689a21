import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from triage.engine import get_ruleset

register = template.Library()


@register.inclusion_tag("triage/_emergency.html", takes_context=True)
def emergency_signs(context: template.Context, variant: str = "list") -> dict:
    """The one emergency list from the ruleset. Every page that mentions emergencies uses it.

    `list`: the signs in full, the numbers to call and the sources. `question`: the same
    without the sources, under the self-check's first question. `card`: the red card an
    explainer page opens with, the one the footer's "Emergency?" link lands on (its id is
    `emergency-signs`, so a page shows it once at most). `line`: one sentence for reminders.
    """
    ruleset = context.get("ruleset") or get_ruleset()
    return {"emergency": ruleset.emergency, "variant": variant}


@register.simple_tag(takes_context=True)
def emergency_number(context: template.Context) -> str:
    """The first emergency number in the ruleset (999), for a "Call" link or button."""
    return (context.get("ruleset") or get_ruleset()).emergency.numbers[0].number


@register.simple_tag(takes_context=True)
def audience(context: template.Context) -> str:
    """Who the site's advice is for, from the ruleset."""
    return (context.get("ruleset") or get_ruleset()).audience


@register.simple_tag(takes_context=True)
def safety_net(context: template.Context) -> str:
    """When to talk to a doctor, from the ruleset: the same sentence on every page."""
    return (context.get("ruleset") or get_ruleset()).safety_net


@register.filter
def phone_links(text: str) -> SafeString:
    """Advice text, escaped, with each number from the ruleset's [emergency] as a tap-to-call
    link. The loader refuses advice naming any other number, so none is left plain."""
    numbers = "|".join(get_ruleset().emergency.phone_numbers)
    escaped = str(conditional_escape(text))
    linked = re.sub(rf"\b({numbers})\b", r'<a class="govuk-link" href="tel:\1">\1</a>', escaped)
    return mark_safe(linked)  # noqa: S308 - escaped above; the numbers are digits only
