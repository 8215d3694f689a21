"""Random, oversized, wrong-type and hostile input on every form: never a 500, always escaped."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.robustness.routes import site_paths
from triage.engine import get_ruleset

pytestmark = pytest.mark.django_db

MARKER = "<x-hostile onclick=alert(1)>"
HOSTILE = st.sampled_from(
    [
        MARKER,
        "'; DROP TABLE journal_entry; --",
        "\x00",
        "\u202e\ufeff\U0001f600",
        "9" * 400,
        "-1",
        "1e309",
        "NaN",
        "2026-02-30",
        "../../etc/passwd",
        "{{ 7*7 }}",
        "",
    ]
)
VALUES = st.one_of(HOSTILE, st.text(max_size=300), st.integers().map(str))
FIELD_NAMES = st.sampled_from(
    ["answer", "q", "email", "password", "password1", "password2", "region", "side",
     "duration", "intensity", "occurred_at", "notes", "caffeine_cups", "sleep_hours",
     "stress", "water_litres", "bother", "new_medicine", "from", "to", "page", "file",
     "time_zone", "next"]
)  # fmt: skip
FORMS = st.dictionaries(FIELD_NAMES, st.lists(VALUES, min_size=1, max_size=3), max_size=8)
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def assert_safe(response) -> None:
    assert response.status_code < 500
    if "html" in response.headers.get("Content-Type", ""):
        assert MARKER not in response.content.decode(errors="replace")


@pytest.mark.parametrize("path", site_paths())
@FUZZ
@given(data=FORMS)
def test_random_posts_to_every_route_never_fail(path, data, person_client):
    assert_safe(person_client.post(path, data))


@pytest.mark.parametrize("path", site_paths())
@FUZZ
@given(data=FORMS)
def test_random_query_strings_on_every_route_never_fail(path, data, person_client):
    assert_safe(person_client.get(path, data))


QUESTION_IDS = st.sampled_from([q.id for q in get_ruleset().questions] + ["nope", "../x"])


@FUZZ
@given(steps=st.lists(st.tuples(QUESTION_IDS, VALUES), max_size=15))
def test_forged_step_order_never_fails_and_the_result_stays_consistent(steps, client):
    for question_id, value in steps:
        response = client.post(f"/check/q/{question_id}/", {"answer": value})
        assert_safe(response)
    for path in ("/check/answers/", "/check/result/"):
        assert_safe(client.get(path))
