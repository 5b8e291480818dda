"""The Layers dock's note while a model loads: it said "Run on this image (Ctrl+R)", as once the model is
in, though the Model panel's Run button is off until then; it now says the model is loading. The load
is held on a gate (a tiny real checkpoint whose Predictor waits for the test) so the note is read mid-load."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import app.analysis.inference_worker as inference_worker
from tests.gui.conftest import WindowFactory
from tests.gui.tiny_model import INPUT, WAIT_MS, save_tiny_checkpoint

RUN_WORDS = "Run on This Image (Ctrl+R)"


def _gate_loads(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    """(started, release): every model load on the inference thread sets `started`, then waits for `release`."""
    started, release, predictor = threading.Event(), threading.Event(), inference_worker.Predictor

    def gated(*args: object, **kwargs: object) -> object:
        started.set()
        release.wait(WAIT_MS / 1000)
        return predictor(*args, **kwargs)

    monkeypatch.setattr(inference_worker, "Predictor", gated)
    return started, release


def test_the_layers_note_says_the_model_is_loading_until_it_is_in(qtbot, make_window: WindowFactory,  # noqa: ANN001
                                                                   demo_dir: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window()
    window.annotation.controller.registry.projects_root = tmp_path
    ctl = window.analysis
    ctl.worker.set_input_size(INPUT)
    window.open_paths([demo_dir], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=WAIT_MS)
    started, release = _gate_loads(monkeypatch)
    note = ctl.layer_list.empty_note

    ctl.settings.set_checkpoint(save_tiny_checkpoint(tmp_path / "first.safetensors"))
    assert started.wait(WAIT_MS / 1000)
    assert not ctl.panel.run_button.isEnabled()  # the Model panel's Run waits for the model
    assert RUN_WORDS not in note.text(), note.text()
    assert "loading" in note.text(), note.text()

    with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):
        release.set()
    assert RUN_WORDS in note.text(), note.text()  # the model is in: running is the next step

    started.clear()
    release.clear()  # another checkpoint: loading again, with the first one's note until it is in
    ctl.settings.set_checkpoint(save_tiny_checkpoint(tmp_path / "second.safetensors", seed=1))
    assert started.wait(WAIT_MS / 1000)
    assert RUN_WORDS not in note.text(), note.text()
    assert "loading" in note.text(), note.text()
    with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):
        release.set()
    assert RUN_WORDS in note.text(), note.text()
