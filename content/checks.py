from django.core.checks import Error, register

from content.pages import PageError, load_pages
from triage.engine import RulesetError, get_ruleset


@register()
def pages_and_ruleset_load(app_configs, **kwargs) -> list[Error]:
    """A broken page or ruleset stops the site at start-up, never in a request."""
    errors = []
    try:
        get_ruleset()
    except RulesetError as error:
        errors.append(Error(str(error), id="triage.E001"))
    try:
        load_pages()
    except PageError as error:
        errors.append(Error(str(error), id="content.E001"))
    return errors
