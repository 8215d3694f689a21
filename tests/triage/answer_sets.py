"""The benign answers shared by the self-check tests, the journal's factories and the page
benchmark."""

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

# A new eyelid twitch and nothing else: the eyelid path, to the self-care result.
EYELID = {
    "emergency_signs": "no",
    "age": "16_or_over",
    "area": "eyelid",
    "eyelid_duration": "under_2_weeks",
    "eyelid_spread": "no",
    "eyelid_droop": "no",
    "eyelid_closing": "no",
    "eyelid_eye": "no",
    "medicine": "no",
}
