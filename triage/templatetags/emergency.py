from django import template

from triage.engine import get_ruleset

register = template.Library()


@register.inclusion_tag("triage/_emergency.html", takes_context=True)
def emergency_signs(context: template.Context, variant: str = "list") -> dict:
    """The one emergency list from the ruleset: `list` in full with sources, or `line`, one
    sentence for footers and reminders. Every page that mentions emergencies uses this."""
    ruleset = context.get("ruleset") or get_ruleset()
    return {"emergency": ruleset.emergency, "variant": variant}


@register.simple_tag(takes_context=True)
def audience(context: template.Context) -> str:
    """Who the site's advice is for, from the ruleset."""
    return (context.get("ruleset") or get_ruleset()).audience
