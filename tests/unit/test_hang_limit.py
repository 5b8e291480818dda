"""The per-test time limit (pytest-timeout's `timeout` in pyproject.toml, carried out by
`tests/conftest.py`'s `pytest_timeout_set_timer`): a test that hangs has its stacks printed and its
process ended, and under xdist the run goes on in a new worker with that one test failed; a test that
ends in time is left alone, and no Python thread is added to the ones a test sees. Run in child pytests."""

from __future__ import annotations

import pytest

from tests.conftest import LEAN_CHILD, ROOT

pytest_plugins = ["pytester"]

pytest.importorskip("pytest_timeout")

TESTS = """
import threading
import time

def test_first_hangs():
    time.sleep(120)

def test_sees_only_its_own_threads():
    assert [t.name for t in threading.enumerate()] == ["MainThread"]
"""


#: The hanging tests' limit is 1 s (each second is a worker's waited time: was 3 s); the test that must not
#: be stopped has 60 s (`test_a_test_in_time_passes_and_sees_no_timer_thread`).


@pytest.fixture
def child(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makeconftest("from tests.conftest import pytest_configure, pytest_timeout_cancel_timer, "
                          "pytest_timeout_set_timer  # noqa: F401\n")
    pytester.makepyfile(test_hangs=TESTS)
    return pytester


def test_a_hanging_test_fails_with_its_stack_and_the_run_goes_on(child: pytest.Pytester) -> None:
    result = child.runpytest_subprocess(*LEAN_CHILD, "-n", "1", "-p", "no:cacheprovider", "-o", "timeout=1",
                                        "-o", "timeout_method=thread", timeout=240)
    result.assert_outcomes(passed=1, failed=1)  # the other test ran, in the worker that replaced the first
    result.stdout.fnmatch_lines(["*worker 'gw0' crashed while running 'test_hangs.py::test_first_hangs'*"])
    result.stderr.fnmatch_lines(["Timeout (0:00:01)!", "*", "*test_hangs.py\", line * in test_first_hangs"])


def test_without_xdist_the_hang_ends_the_run_with_its_stack(child: pytest.Pytester) -> None:
    result = child.runpytest_subprocess(*LEAN_CHILD, "-p", "no:xdist", "-p", "no:cacheprovider", "-o", "timeout=1",
                                        "-o", "timeout_method=thread", "-k", "hangs", timeout=240)
    assert result.ret == 1
    result.stderr.fnmatch_lines(["Timeout (0:00:01)!", "*", "*test_hangs.py\", line * in test_first_hangs"])


def test_a_test_in_time_passes_and_sees_no_timer_thread(child: pytest.Pytester) -> None:
    result = child.runpytest_subprocess(*LEAN_CHILD, "-p", "no:xdist", "-p", "no:cacheprovider", "-o", "timeout=60",
                                        "-o", "timeout_method=thread", "-k", "threads", timeout=240)
    result.assert_outcomes(passed=1)
