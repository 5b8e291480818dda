"""`fosp predict` whose output disk is full: it stops at the first write the disk refuses, says so
with the images left and how to go on, instead of running the model on every image left to fail
each the same way (8 images on a 2 MB tmpfs: 7 "No space left on device" lines, 58 s of model runs for
nothing; 3000 images would be hours)."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from fosp_core.cli import main
from fosp_core.infer.jobs import disk_full
from tests.odd_inputs import good_image
from tests.unit.disk_faults import Faults


def test_predict_stops_at_a_full_disk_and_says_what_is_left(
        tmp_path: Path, tiny_checkpoint_file: Path, one_torch_thread: None, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    names = [f"img{i}" for i in range(5)]
    for seed, name in enumerate(names):
        good_image(folder, f"{name}.png", seed)
    full = [Faults(monkeypatch) for _ in names[1:]]  # room for the first mask only
    for faults, name in zip(full, names[1:], strict=True):
        faults.fail(f"{name}.png", "write", errno.ENOSPC)
    args = ["predict", str(folder), "--out", str(tmp_path / "out"), "--checkpoint", str(tiny_checkpoint_file),
            "--input-size", "64"]

    assert main(args) == 1

    err = capsys.readouterr().err
    failed = [line for line in err.splitlines() if line.startswith("failed")]
    assert len(failed) == 1 and "img1.png" in failed[0], err
    assert "stopped: the disk of" in err and "is full; 3 image(s) not predicted" in err, err
    assert "run it again" in err, err
    for faults in full:
        faults.clear()
    assert main(args) == 0  # as told: the images done are skipped, the rest predicted
    assert "4 input(s) predicted" in capsys.readouterr().err
    assert sorted(p.stem for p in (tmp_path / "out" / "masks").iterdir()) == names


def test_disk_full_looks_through_the_errors_a_write_was_raised_from() -> None:
    try:
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError as exc:
            raise ValueError("cannot write x.png") from exc
    except ValueError as outer:
        assert disk_full(outer)
    assert not disk_full(OSError(errno.EACCES, "Permission denied"))
