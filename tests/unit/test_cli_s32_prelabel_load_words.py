"""`fosp project prelabel` said a device that is not there as a checkpoint it could not load ("cannot
load checkpoint .../fosp-default.safetensors: DeviceError: device 'cuda' is not available ..."), and a
damaged checkpoint with its class name and its path twice ("cannot load checkpoint x: CheckpointError: x:
the file is empty ..."). It now says them as `fosp predict` does: the device error as it is, the
checkpoint's error (which names the file) as it is."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fosp_core.cli import main


def _run(argv: list[str]) -> int:
    """main's exit code; a load failure ends in SystemExit(2) from inside the command, as fosp predict's."""
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)


@pytest.fixture
def project(demo_dir: Path, tmp_path: Path) -> Path:
    from fosp_core.annotation.project import Project

    images = tmp_path / "imgs ü"
    shutil.copytree(demo_dir / "JPEGImages", images)
    Project.open(images, create=True).close()
    return images


def test_a_damaged_checkpoint_is_said_once(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    empty = tmp_path / "empty.safetensors"
    empty.write_bytes(b"")
    assert _run(["project", "prelabel", str(project), "--checkpoint", str(empty)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {empty}: ") and err.count(str(empty)) == 1, err
    assert "CheckpointError" not in err


def test_a_device_not_there_is_not_a_checkpoint_problem(project: Path, capsys: pytest.CaptureFixture) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("CUDA is there: the device error this checks cannot happen")
    assert _run(["project", "prelabel", str(project), "--device", "cuda"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: device 'cuda' is not available"), err
    assert "cannot load checkpoint" not in err and "DeviceError" not in err
