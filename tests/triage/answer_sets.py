"""The benign answers shared by the self-check tests and the page benchmark."""

# Every question answered, nothing worrying: the self-care result.
BENIGN = {
    "emergency_signs": "no",
    "age": "16_or_over",
    "area": "elsewhere",
    "duration": "under_2_weeks",
    "spread": "one_area",
    "weakness": "no",
    "wasting": "no",
    "numbness": "no",
    "speech_swallow": "no",
    "family_history": "no",
    "worsening": "no",
    "medicine": "no",
    "self_care_tried": "not_tried",
}
