"""`fosp compare A B IMAGES` with A or B not a checkpoint (missing, a folder without weights) listed the
images and their ground truth first ("4 images, ground truth: 4 dataset labels" on stdout), then said
the checkpoint was wrong. The checkpoints are now found before the images are looked at: only the error."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.cli import main


@pytest.mark.parametrize("which", ["missing", "folder"])
def test_a_checkpoint_that_is_none_is_said_before_the_images(demo_dir: Path, tmp_path: Path, which: str,
                                                             capsys: pytest.CaptureFixture) -> None:
    bad = tmp_path / "nothing.safetensors" if which == "missing" else tmp_path
    good = tmp_path / "a.safetensors"
    good.write_bytes(b"not loaded: B is refused first")
    assert main(["compare", str(good), str(bad), str(demo_dir)]) == 2
    out, err = capsys.readouterr()
    assert out == "", out
    assert err.startswith(f"error: {bad}"), err
