"""A GUI test's window and what it holds are gone before the next test starts (tests/gui/conftest.py's
teardown): pytest-qt's `deleteLater` is carried out and pytest's reference to the fixture values is
dropped before the test's garbage is collected and the survivors frozen. Before, each window (and the
arrays its Python objects held) survived in the frozen generation for the rest of the run: about 8 MiB a
test in tests/gui/test_annotation_tools.py (`tests/rss_recorder.py`).

Likewise when the test monkeypatched the window: the monkeypatch fixture (set up before that teardown,
by tests/conftest.py, so torn down after it) holds the window in its undo list.

The tests run in pairs, in order, in one process; under xdist the second of a pair skips if the first
ran elsewhere.
"""

from __future__ import annotations

import threading
import time
import weakref

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

_first: dict[str, object] = {}


@pytest.fixture
def window_with_a_big_array(make_window):  # noqa: ANN001, ANN201 - a window factory, a MainWindow
    window = make_window()
    window.held_array = np.ones((64, 1024, 1024), np.uint8)  # 64 MiB only this window refers to
    return window


def test_a_window_from_a_fixture_holds_an_array(window_with_a_big_array) -> None:  # noqa: ANN001
    window = window_with_a_big_array
    _first["window"] = weakref.ref(window)
    _first["array"] = weakref.ref(window.held_array)
    _first["name"] = f"released-check-{id(window)}"
    window.setObjectName(_first["name"])
    assert window.held_array.nbytes == 64 * 1024 * 1024


def test_the_previous_test_s_window_and_array_are_gone() -> None:
    if not _first:
        pytest.skip("the first test ran in another process (xdist)")
    assert _first["array"]() is None, "the previous test's array is still alive (its window held it)"
    assert _first["window"]() is None, "the previous test's window is still alive"
    names = [w.objectName() for w in QApplication.topLevelWidgets()]
    assert _first["name"] not in names, "the previous test's window was never deleted"


_patched: dict[str, object] = {}


def test_a_monkeypatched_window_holds_an_array(make_window, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    window = make_window()
    monkeypatch.setattr(window, "held_array", np.ones((64, 1024, 1024), np.uint8), raising=False)
    _patched["window"] = weakref.ref(window)
    _patched["array"] = weakref.ref(window.held_array)
    assert window.held_array.nbytes == 64 * 1024 * 1024


def test_the_monkeypatched_window_and_array_are_gone() -> None:
    if not _patched:
        pytest.skip("the first test ran in another process (xdist)")
    assert _patched["array"]() is None, "the monkeypatched array is still alive"
    assert _patched["window"]() is None, "the monkeypatched window is still alive"


_queued: dict[str, object] = {}


class _Layer:
    """Stands for a canvas's pyramid: its queued render refers back to it (a cycle) and to its array."""

    def __init__(self) -> None:
        self.array = np.ones((64, 1024, 1024), np.uint8)
        self.render = lambda: (time.sleep(0.5), self.array.shape)[1]  # still running at the teardown


def test_a_level_still_rendering_when_the_test_ends(request: pytest.FixtureRequest) -> None:
    from app import display_pyramid

    layer, go = _Layer(), threading.Event()
    display_pyramid._background().submit(lambda: go.wait(30))  # held until the test's own teardown
    display_pyramid._background().submit(layer.render)
    request.addfinalizer(go.set)
    _queued["array"] = weakref.ref(layer.array)


def test_the_level_s_arrays_are_gone() -> None:
    if not _queued:
        pytest.skip("the first test ran in another process (xdist)")
    assert _queued["array"]() is None, "a render queued for a closed canvas outlived its test"
