from django.core.checks import Error, register

from triage.engine import RulesetError, get_ruleset


@register()
def ruleset_loads(app_configs, **kwargs) -> list[Error]:
    """A broken ruleset stops the site at start-up, never in a request.

    Broken pages stop it sooner: `ContentConfig.ready` reads them and names the file.
    """
    try:
        get_ruleset()
    except RulesetError as error:
        return [Error(str(error), id="triage.E001")]
    return []
