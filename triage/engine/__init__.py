"""The rules engine: the reference article's red flags, checklist and eyelid advice as data.

Plain Python with no Django import, so the self-check, the journal, the explainer pages
and the `assess` command all ask the same questions of the same rules.
"""

from triage.engine.assess import assess
from triage.engine.loader import (
    RulesetError,
    earlier_versions,
    get_ruleset,
    load_ruleset,
    parse_ruleset,
)
from triage.engine.model import (
    Assessment,
    ChecklistItem,
    Choice,
    Emergency,
    EmergencyNumber,
    EmergencySign,
    EyelidAdvice,
    Finding,
    Level,
    Question,
    RedFlag,
    Ruleset,
    SelfCareStep,
    Source,
)

__all__ = [
    "Assessment",
    "ChecklistItem",
    "Choice",
    "Emergency",
    "EmergencyNumber",
    "EmergencySign",
    "EyelidAdvice",
    "Finding",
    "Level",
    "Question",
    "RedFlag",
    "Ruleset",
    "RulesetError",
    "SelfCareStep",
    "Source",
    "assess",
    "earlier_versions",
    "get_ruleset",
    "load_ruleset",
    "parse_ruleset",
]
