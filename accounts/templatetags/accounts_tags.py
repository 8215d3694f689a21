"""How long emailed links work, for the emails and pages that say so, the privacy notice
among them: `{% load accounts_tags %}` then `{% sign_up_link_lifetime %}`, "24 hours"."""

from django import template

from accounts import tokens

register = template.Library()


@register.simple_tag
def sign_up_link_lifetime() -> str:
    return tokens.sign_up_link_lifetime()


@register.simple_tag
def reset_link_lifetime() -> str:
    return tokens.reset_link_lifetime()
