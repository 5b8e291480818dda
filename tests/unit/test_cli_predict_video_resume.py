"""`fosp predict VIDEO` stopped part-way (Ctrl+C) and run again: the rerun said 'nothing to do: every
output exists already' (exit 3) as soon as one frame file existed, so the overlay MP4 and the frames
after the stop were never written. A rerun now finishes the video: it writes only the frame files
that are missing (none is overwritten) and the overlay when it is missing; a finished video is still
skipped."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.cli import main
from tests.unit.test_infer_stream import write_video
from tests.unit.test_train_support import save_tiny_checkpoint

FRAMES = 8


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("ckpt") / "tiny.safetensors")


def _predict(video: Path, out: Path, tiny: Path, save: str) -> int:
    return main(["predict", str(video), "--out", str(out), "--checkpoint", str(tiny), "--save", save,
                 "--input-size", "64", "--device", "cpu", "--quiet"])


def _masks(out: Path) -> list[Path]:
    return sorted((out / "masks").glob("clip_f*.png"))


def test_a_stopped_video_is_finished_by_a_rerun(tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    video = write_video(tmp_path / "clip.avi", n=FRAMES, size=(64, 48))
    out = tmp_path / "out"
    assert _predict(video, out, tiny, "mask,overlay") == 0
    masks = _masks(out)
    overlay = out / "overlay" / "clip.mp4"
    assert len(masks) == FRAMES and overlay.is_file()
    kept = {p: p.stat().st_ino for p in masks[:3]}
    for p in masks[3:]:  # stopped after frame 3: no overlay (it is renamed in at the end), 5 frames missing
        p.unlink()
    overlay.unlink()
    capsys.readouterr()
    assert _predict(video, out, tiny, "mask,overlay") == 0
    assert len(_masks(out)) == FRAMES and overlay.is_file()
    assert {p: p.stat().st_ino for p in masks[:3]} == kept  # existing frame files are not rewritten
    assert _predict(video, out, tiny, "mask,overlay") == 3  # finished: nothing to do
    assert "nothing to do" in capsys.readouterr().err


def test_frames_only_rerun_writes_the_missing_frames(tiny: Path, tmp_path: Path) -> None:
    video = write_video(tmp_path / "clip.avi", n=FRAMES, size=(64, 48))
    out = tmp_path / "out"
    assert _predict(video, out, tiny, "mask") == 0
    for p in _masks(out)[5:]:
        p.unlink()
    assert _predict(video, out, tiny, "mask") == 0
    assert len(_masks(out)) == FRAMES
    assert _predict(video, out, tiny, "mask") == 3
