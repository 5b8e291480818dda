"""`fosp predict` stops at the first output write a full disk refuses (430267a). A file system that
is read-only (EROFS: a USB stick's write-protect switch, a disk the kernel remounted read-only after
errors) refuses every write the same way, yet the run went on predicting every image to fail each;
now it stops too, with its own words. A refusal of one file (EACCES: on Windows, a mask open in
another program) is that file's: the run goes on with the others."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from fosp_core.cli import main
from tests.odd_inputs import good_image
from tests.unit.disk_faults import Faults

NAMES = [f"img{i}" for i in range(5)]


def _run(tmp_path: Path, checkpoint: Path, monkeypatch: pytest.MonkeyPatch, err: int,
         capsys: pytest.CaptureFixture) -> str:
    """Predict 5 images where the masks of all but the first are refused with `err`; stderr."""
    folder = tmp_path / "in"
    folder.mkdir()
    for seed, name in enumerate(NAMES):
        good_image(folder, f"{name}.png", seed)
    for name in NAMES[1:]:
        Faults(monkeypatch).fail(f"{name}.png", "write", err)
    args = ["predict", str(folder), "--out", str(tmp_path / "out"), "--checkpoint", str(checkpoint),
            "--input-size", "64"]
    assert main(args) == 1
    return capsys.readouterr().err


def test_a_read_only_file_system_stops_the_run(tmp_path: Path, tiny_checkpoint_file: Path, one_torch_thread: None,
                                               monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    err = _run(tmp_path, tiny_checkpoint_file, monkeypatch, errno.EROFS, capsys)
    failed = [line for line in err.splitlines() if line.startswith("failed")]
    assert len(failed) == 1 and "img1.png" in failed[0], err  # was 4 failures, every image predicted
    assert "is on a read-only file system; 3 image(s) not predicted" in err, err
    assert "run it again" in err and "Free space" not in err, err


def test_one_refused_file_does_not_stop_the_run(tmp_path: Path, tiny_checkpoint_file: Path, one_torch_thread: None,
                                                monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    err = _run(tmp_path, tiny_checkpoint_file, monkeypatch, errno.EACCES, capsys)
    assert len([line for line in err.splitlines() if line.startswith("failed")]) == 4, err
    assert "stopped" not in err, err


def test_a_full_disk_stops_the_videos_too(tmp_path: Path, tiny_checkpoint_file: Path, one_torch_thread: None,
                                          monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    """Images and a video in one command: the images stopped at the full disk, then the video was
    decoded and predicted to fail at its first frame's write the same way; now it is not started."""
    from fosp_core.infer import jobs
    from tests.unit.test_infer_stream import write_video

    folder = tmp_path / "in"
    folder.mkdir()
    for seed, name in enumerate(NAMES):
        good_image(folder, f"{name}.png", seed)
    video = write_video(tmp_path / "clip.avi", n=4)
    for name in NAMES[1:]:
        Faults(monkeypatch).fail(f"{name}.png", "write", errno.ENOSPC)
    started: list[Path] = []
    real = jobs.predict_video

    def predict_video(predictor: object, path: Path, *args: object, **kwargs: object) -> object:
        started.append(path)
        return real(predictor, path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jobs, "predict_video", predict_video)
    args = ["predict", str(folder), str(video), "--out", str(tmp_path / "out"), "--checkpoint",
            str(tiny_checkpoint_file), "--input-size", "64"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "is full; 3 image(s) not predicted" in err, err
    assert started == [], err  # was [clip.avi]
    assert "1 video(s) not predicted either" in err, err
