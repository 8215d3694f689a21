"""`make check`, the tests to run on every save, leaves out the browser, servers and README runs.

tests/test_readme.py runs `make check` narrowed to this test, which looks at what that run
imported.
"""

import sys

import pytest


def test_a_run_without_browser_tests_never_imports_playwright(request):
    """tests/chromium.py imports Playwright only when a browser test asks for a browser."""
    if any(item.get_closest_marker("browser") for item in request.session.items):
        pytest.skip("This run has browser tests; `make check` runs this test without them.")
    imported = sorted(name for name in sys.modules if name.partition(".")[0] == "playwright")
    assert not imported, f"A run without browser tests imported {imported[:5]}."
