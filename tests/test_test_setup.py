"""The suite itself: nothing in it depends on how fast a busy machine runs."""

import pathlib
import re

import hypothesis

TESTS = pathlib.Path(__file__).parent


def test_properties_run_without_a_deadline_from_the_suites_own_profile():
    assert hypothesis.settings._current_profile == "storefront"
    assert hypothesis.settings().deadline is None


def test_no_test_sets_its_own_deadline_or_times_itself():
    """The profile in conftest.py is the one place; polling loops that wait are fine."""
    timing = re.compile(r"deadline=|elapsed|perf_counter|\bduration\b\s*<")
    offenders = [
        f"{path.name}:{number}"
        for path in sorted(TESTS.rglob("*.py"))
        if path.name not in {"conftest.py", pathlib.Path(__file__).name}
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if timing.search(line)
    ]
    assert offenders == []
