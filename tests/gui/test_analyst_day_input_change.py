"""Another input size (or device, or precision) for the same checkpoint: the image shown runs again.
The analyst who changed Input from 512 px to 384 px saw the result vanish ("ready on cpu · 0
results cached", the metrics blank) and nothing run until Run was pressed, while a τ change
re-ran the image by itself. Now the image shown runs at the new setting once the model is loaded,
when it had a result from the same checkpoint; another checkpoint still waits to be asked."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui.tiny_model import WAIT_MS, ready_window, save_tiny_checkpoint, spy_runs


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("ckpt") / "tiny.safetensors")


def test_the_image_shown_runs_again_at_another_input(qtbot, make_window, checkpoint: Path, demo_dir: Path,
                                                      tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window, ctl = ready_window(qtbot, make_window, checkpoint, [demo_dir], tmp_path / "projects")
    request = ctl.run_current()
    qtbot.waitUntil(lambda: request not in ctl._runs and ctl.prediction is not None, timeout=WAIT_MS)
    asked = spy_runs(ctl, monkeypatch)
    with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):
        ctl.settings.set_input("384")
    qtbot.waitUntil(lambda: ctl.prediction is not None and not ctl._runs, timeout=5000)
    assert asked == [[window.session.current_path]]  # the image shown, once
    assert ctl.prediction is ctl.cache.get(ctl._key(window.session.current_path))  # at 384 px
    with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):
        ctl.settings.set_input("448")  # and again at the next change
    qtbot.waitUntil(lambda: ctl.prediction is not None and not ctl._runs, timeout=5000)
    assert asked == [[window.session.current_path]] * 2
    assert ctl.errors == []


def test_another_checkpoint_waits_to_be_asked(qtbot, make_window, checkpoint: Path, demo_dir: Path,
                                              tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window, ctl = ready_window(qtbot, make_window, checkpoint, [demo_dir], tmp_path / "projects")
    request = ctl.run_current()
    qtbot.waitUntil(lambda: request not in ctl._runs and ctl.prediction is not None, timeout=WAIT_MS)
    asked = spy_runs(ctl, monkeypatch)
    other = save_tiny_checkpoint(tmp_path / "other.safetensors", seed=1)
    with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):
        ctl.settings.set_checkpoint(other)
    qtbot.wait(200)
    assert asked == [] and ctl.prediction is None
