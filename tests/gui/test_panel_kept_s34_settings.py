"""The Model panel's threshold, regions rule and τ were not kept between sessions (0.6 came back as 0.5), so
the scores kept in the saved summaries stopped matching and Run on All ran every image again; nor was the
chosen checkpoint. They are now kept in the window's settings; a kept checkpoint whose file is gone falls
back to the default model, saying so in the status bar."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui.tiny_model import WAIT_MS, save_tiny_checkpoint


@pytest.fixture
def chosen(tmp_path: Path) -> Path:
    return save_tiny_checkpoint(tmp_path / "models" / "mine.safetensors")


def test_threshold_rule_tau_and_checkpoint_come_back_in_the_next_session(qtbot, make_window, chosen) -> None:
    first = make_window()
    s = first.analysis.settings
    with qtbot.waitSignal(first.analysis.worker.loaded, timeout=WAIT_MS):
        s.set_checkpoint(chosen)
    s.set_threshold(0.6)
    s.set_keep("core:0.7")
    s.set_tau(0.3)
    assert first.close()

    again = make_window()
    s = again.analysis.settings
    assert (s.threshold, s.keep, s.checkpoint) == (0.6, "core:0.7", chosen)
    assert again.annotation.controller.state.threshold == 0.6  # the tools' threshold is the panel's
    assert again.analysis.panel.threshold.spin.value() == pytest.approx(0.6)
    qtbot.waitUntil(lambda: again.analysis.model is not None, timeout=WAIT_MS)  # the kept checkpoint loads
    assert s.tau == 0.3, "the model's trained τ replaced the kept one"


def test_a_kept_checkpoint_gone_falls_back_to_the_default_model_saying_so(qtbot, make_window, chosen,
                                                                           tmp_path: Path) -> None:
    default = save_tiny_checkpoint(tmp_path / "bundled" / "default.safetensors")
    first = make_window(default_model=default)
    with qtbot.waitSignal(first.analysis.worker.loaded, timeout=WAIT_MS):
        first.analysis.settings.set_checkpoint(chosen)
    assert first.close()
    chosen.unlink()

    again = make_window(default_model=default)
    assert again.analysis.settings.checkpoint == default
    note = again.statusBar().currentMessage()
    assert "mine.safetensors" in note and "not found" in note and "default.safetensors" in note, note
    qtbot.waitUntil(lambda: again.analysis.model is not None, timeout=WAIT_MS)  # the default loads, no error
    assert again.analysis.errors == []


def test_the_default_model_chosen_is_kept_as_the_default(qtbot, make_window, tmp_path: Path) -> None:
    default = save_tiny_checkpoint(tmp_path / "bundled" / "default.safetensors")
    first = make_window(default_model=default)
    first.analysis.settings.set_threshold(0.55)
    assert first.close()
    moved = save_tiny_checkpoint(tmp_path / "bundled2" / "default.safetensors")  # a new version of the app
    again = make_window(default_model=moved)
    assert again.analysis.settings.checkpoint == moved and again.analysis.settings.threshold == 0.55
    assert again.statusBar().currentMessage() == ""
