"""``--screenshot --run-model --layers "focus map"`` of a video (session 35's review, on the IJmond clip): the
picture showed the default probability + τ contour, and ``--layers bogus`` passed with exit 0: for a video the
option was read and dropped, as was ``--compare`` (no file written, nothing said). The frame's layers
(:mod:`app.video.frame_layers`) are now awaited and shown as asked, and ``--compare`` says it is for images."""

from __future__ import annotations

import argparse
import gc
from pathlib import Path

import pytest

from app.main_window import MainWindow
from tests.gui.tiny_model import save_tiny_checkpoint


def _shoot(qapp, tmp_path: Path, layers: str, compare: Path | None = None,  # noqa: ANN001
           run_model: bool = True) -> int:
    from app.main import take_screenshot
    from fosp_core.video.testclip import write_clip

    clip = write_clip(tmp_path / "clip.mp4", frames=8)
    checkpoint = save_tiny_checkpoint(tmp_path / "tiny.safetensors") if run_model else None
    analysis = argparse.Namespace(run_model=run_model, checkpoint=checkpoint, layers=layers, regions="plain",
                                  compare=compare)
    gc.disable()  # collected below, where no Qt lock is held (as test_screenshot_model_settled)
    try:
        return take_screenshot(qapp, tmp_path / "shot.png", [clip], (1000, 700), timeout_s=60, analysis=analysis)
    finally:
        gc.collect()
        gc.enable()


def test_a_video_screenshot_shows_the_layers_asked_for(qapp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,  # noqa: ANN001
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    seen: list[tuple[set[str], int | None, int | None]] = []
    grab = MainWindow.grab

    def recording_grab(window: MainWindow, *args: object):  # noqa: ANN202 - QWidget.grab's QPixmap
        shown = {layer.name for layer in window.analysis.layers if layer.visible}
        seen.append((shown, window.video.frame_layers.frame, window.video.shown_index))
        return grab(window, *args)

    monkeypatch.setattr(MainWindow, "grab", recording_grab)
    code = _shoot(qapp, tmp_path, "focus map,hole")
    assert code == 0, capsys.readouterr().err
    assert len(seen) == 1
    shown, layers_frame, frame = seen[0]
    assert shown == {"focus map", "hole"}  # was: probability and τ contour, the defaults
    assert layers_frame == frame  # the layers are the shown frame's


def test_a_video_screenshot_refuses_what_it_cannot_show(qapp, tmp_path: Path,  # noqa: ANN001
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert _shoot(qapp, tmp_path, "bogus") == 1  # was 0, nothing said
    assert "unknown layer 'bogus'" in capsys.readouterr().err
    grid = tmp_path / "grid.png"
    # (no model run: --compare is refused for a video whatever is predicted; the run cost ~6 s)
    assert _shoot(qapp, tmp_path, "", compare=grid, run_model=False) == 1  # was 0, no grid written, nothing said
    err = capsys.readouterr().err
    assert "--compare" in err and "video" in err, err
    assert not grid.exists()


def test_the_help_says_compare_is_for_images(capsys: pytest.CaptureFixture[str]) -> None:
    from app.main import parse_args

    with pytest.raises(SystemExit):
        parse_args(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "not of a video" in text.split("--compare OUT.png", 2)[-1], text  # was: said nothing of videos
