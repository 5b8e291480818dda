"""A Focus τ the user moved while the panel's model was loading for the first time was overwritten by
the checkpoint's τ (or the τ kept from the last session) when the load arrived: the checkpoint's τ is
the default for a user who has not chosen one, so the user's explicit choice now wins. With no move,
the kept τ still wins over the trained one (tests/gui/test_panel_kept_s34_settings.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui.tiny_model import WAIT_MS, save_tiny_checkpoint


@pytest.fixture
def chosen(tmp_path: Path) -> Path:
    return save_tiny_checkpoint(tmp_path / "models" / "mine.safetensors", tau=0.4)


def _loaded_with_tau_moved(qtbot, window, tau: float) -> None:
    assert window.analysis.model is None and window.analysis.model_state == "loading"
    window.analysis.panel.tau.edited.emit(tau)  # the user moves Focus τ while it loads
    qtbot.waitUntil(lambda: window.analysis.model is not None, timeout=WAIT_MS)


def test_tau_moved_during_the_first_load_is_kept(qtbot, make_window, chosen) -> None:
    first = make_window()
    with qtbot.waitSignal(first.analysis.worker.loaded, timeout=WAIT_MS):
        first.analysis.settings.set_checkpoint(chosen)
    assert first.analysis.settings.tau == pytest.approx(0.4)  # untouched: the τ it was trained at
    assert first.close()

    again = make_window()  # the chosen checkpoint loads again, no τ kept for it
    _loaded_with_tau_moved(qtbot, again, 0.25)
    assert again.analysis.settings.tau == pytest.approx(0.25), "the checkpoint's τ replaced the user's"


def test_tau_moved_during_the_first_load_wins_over_the_kept_one(qtbot, make_window, chosen) -> None:
    first = make_window()
    with qtbot.waitSignal(first.analysis.worker.loaded, timeout=WAIT_MS):
        first.analysis.settings.set_checkpoint(chosen)
    first.analysis.settings.set_tau(0.3)  # kept for the next session
    assert first.close()

    again = make_window()
    _loaded_with_tau_moved(qtbot, again, 0.2)
    assert again.analysis.settings.tau == pytest.approx(0.2), "the kept τ replaced the user's"
    assert again.close()
    third = make_window()  # and the user's τ is the one kept
    qtbot.waitUntil(lambda: third.analysis.model is not None, timeout=WAIT_MS)
    assert third.analysis.settings.tau == pytest.approx(0.2)
