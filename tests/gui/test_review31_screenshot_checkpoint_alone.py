"""`fosp-studio IMAGE --screenshot OUT.png --checkpoint CKPT` (no --run-model): the start-up checks let it
through (a video's screenshot loads that model without --run-model), but with images the window loaded the
default model and the checkpoint asked for was ignored without a word. It is the screenshot's model now."""

from __future__ import annotations

import argparse
import gc
from pathlib import Path

import pytest

from app.main_window import MainWindow
from tests.gui.tiny_model import save_tiny_checkpoint


def test_a_checkpoint_without_run_model_is_the_screenshots_model(qapp, capsys: pytest.CaptureFixture[str],  # noqa: ANN001
                                                                 monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                                 demo_dir: Path) -> None:
    from app.main import take_screenshot

    checkpoint = save_tiny_checkpoint(tmp_path / "tiny.safetensors")
    seen: list[Path | None] = []
    grab = MainWindow.grab

    def recording_grab(window: MainWindow, *args: object):  # noqa: ANN202 - QWidget.grab's QPixmap
        seen.append(window.analysis.settings.checkpoint)
        return grab(window, *args)

    monkeypatch.setattr(MainWindow, "grab", recording_grab)
    analysis = argparse.Namespace(run_model=False, checkpoint=checkpoint, layers="", regions="plain", compare=None)
    gc.disable()  # collected below, where no Qt lock is held (as test_screenshot_model_settled)
    try:
        code = take_screenshot(qapp, tmp_path / "shot.png", [demo_dir], (1024, 700), timeout_s=120,
                               analysis=analysis)
    finally:
        gc.collect()
        gc.enable()
    assert code == 0, capsys.readouterr().err
    assert seen == [checkpoint]
