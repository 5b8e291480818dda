"""`fosp compare A B FOLDER` where the folder holds a broken link (session 37, helper N3, odd paths).

A photo whose link leads nowhere (a moved disk, a synced folder half there) refused the whole comparison,
exit 2, as if FOLDER were wrong, where an empty or unreadable image there is left out and named (exit 1,
the others compared) and ``fosp predict`` fails that one image and goes on. The link is left out and named
the same way now; a path given on the command line that is not there is still a usage error (2)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fosp_core.cli import ExitCode, main


def test_a_broken_link_in_the_folder_is_left_out_and_named(tmp_path: Path, demo_dir: Path, tiny_checkpoint_file: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    shutil.copy(sorted((demo_dir / "JPEGImages").iterdir())[0], photos)
    (photos / "gone.jpg").symlink_to(tmp_path / "nowhere" / "gone.jpg")
    model = str(tiny_checkpoint_file)
    code = main(["compare", model, model, str(photos), "--input-size", "64", "--device", "cpu"])
    out, err = capsys.readouterr()
    assert code == ExitCode.FAILED, err  # was 2: nothing compared
    assert "left out" in err and "gone.jpg" in err and "broken link" in err, err
    assert "1 image compared" in " ".join(out.split()) or "1 images compared" in out, out
    assert main(["compare", model, model, str(photos / "missing.jpg")]) == ExitCode.USAGE
