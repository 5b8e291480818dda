"""The per-file memory guard of tests/conftest.py (`_file_memory_guard`): a test file that leaves more
than FOSP_TEST_HELD_LIMIT_GB of RSS held fails with a message that names it and says how to find the
tests; one that gives its memory back passes. Run in a child pytest (its own process, its own RSS)."""

from __future__ import annotations

import pytest

from tests.conftest import LEAN_CHILD, ROOT

pytest_plugins = ["pytester"]

HOLDS = """
import numpy as np
kept = []

def test_keeps_300_mib():
    kept.append(np.ones(300 * 1024 * 1024, np.uint8))

def test_after():
    assert kept
"""

GIVES_BACK = """
import numpy as np

def test_uses_300_mib_and_lets_go():
    a = np.ones(300 * 1024 * 1024, np.uint8)
    assert a.sum() == a.size
"""


@pytest.fixture
def child(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv("FOSP_TEST_HELD_LIMIT_GB", "0.2")
    pytester.makeconftest("from tests.conftest import _file_memory_guard, _heap_given_back  # noqa: F401\n")
    return pytester


def test_a_file_that_keeps_memory_fails_and_says_how_to_find_it_and_one_that_lets_go_passes(
        child: pytest.Pytester) -> None:
    """Both files in one child run (a child pytest start is ~1 s of the 2-core CI's time): the one that lets
    go runs first (its name sorts first) and passes; the one that keeps its memory fails at its end."""
    child.makepyfile(test_holds=HOLDS, test_gives_back=GIVES_BACK)
    result = child.runpytest_subprocess(*LEAN_CHILD, "-p", "no:xdist", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, errors=1)  # the error: test_holds.py's last teardown
    result.stdout.fnmatch_lines(["*test_holds.py left 0.* GiB of memory held after its tests*"
                                 "the limit is 0.2 GiB*FOSP_TEST_RSS=*"])
    result.stdout.no_fnmatch_line("*test_gives_back.py left*")
    result.stdout.fnmatch_lines(["test_gives_back.py . *"])  # passed, no error at its end
