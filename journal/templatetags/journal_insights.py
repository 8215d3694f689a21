from django import template

from journal.flags import journal_flags

register = template.Library()


@register.inclusion_tag("journal/insights/_flags_summary.html", takes_context=True)
def journal_flags_summary(context: template.Context) -> dict:
    """The journal's red-flag result in brief, for the journal's front page."""
    user = context["request"].user
    return {"flags": journal_flags(user) if user.is_authenticated else None}
