"""`fosp predict FOLDER`: a folder's GIFs are left out of it (they are read when named: `NAMED_ONLY_EXTENSIONS`)
without a word, where the app's open says so (`fosp_core.open_paths.gifs_left_out`); and the output folder's
write check asked `os.access`, which says yes for every folder on Windows (it reads the read-only attribute,
which folders ignore), instead of the project's check (`writable_folder`: a folder made and removed there)."""

from __future__ import annotations

import os
import types
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.cli import main
from fosp_core.cli import predict as predict_cli


def _gif(path: Path) -> Path:
    from PIL import Image

    Image.fromarray(np.full((16, 16, 3), 90, np.uint8)).save(path)
    return path


def _argv(folder: Path, tmp_path: Path) -> list[str]:
    checkpoint = tmp_path / "not-read.safetensors"  # the line comes before the model is loaded
    checkpoint.write_bytes(b"never loaded")
    return ["predict", str(folder), "--out", str(tmp_path / "out"), "--checkpoint", str(checkpoint), "--device", "cpu"]


def test_a_folders_gifs_are_said_to_be_skipped_in_one_counted_line(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    cv2.imwrite(str(folder / "a.jpg"), np.full((16, 16, 3), 40, np.uint8))
    for name in ("b.gif", "c.GIF", "d.gif", "e.gif"):
        _gif(folder / name)
    _gif(folder / ".hidden.gif")
    main(_argv(folder, tmp_path))
    lines = [line for line in capsys.readouterr().err.splitlines() if "GIF" in line]
    assert lines == [f"note: {folder}: 4 GIFs skipped (b.gif, c.GIF, d.gif and 1 more): a folder lists no GIF; "
                     "name one to predict its first frame"], lines


def test_one_gif_is_said_in_the_singular(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    cv2.imwrite(str(folder / "a.jpg"), np.full((16, 16, 3), 40, np.uint8))
    _gif(folder / "plume.gif")
    main(_argv(folder, tmp_path))
    err = capsys.readouterr().err
    assert f"note: {folder}: 1 GIF skipped (plume.gif): a folder lists no GIF; name it to predict its first frame" \
           in err.splitlines(), err


def test_a_folder_of_gifs_only_names_them_in_its_nothing_to_do(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "gifs"
    folder.mkdir()
    _gif(folder / "plume.gif")
    assert main(_argv(folder, tmp_path)) == 3
    err = capsys.readouterr().err
    assert "1 GIF skipped (plume.gif)" in err and "nothing to do" in err, err


def test_a_named_gif_is_no_note(tmp_path: Path, capsys) -> None:
    gif = _gif(tmp_path / "plume.gif")
    main(_argv(gif, tmp_path))
    assert "GIF" not in capsys.readouterr().err


class _WindowsOs(types.ModuleType):
    """`os` as `writable_folder` sees it on Windows: its name "nt", folders made as `mkdir` says."""

    def __init__(self, mkdir) -> None:  # noqa: ANN001
        super().__init__("os")
        self.name, self.mkdir = "nt", mkdir

    def __getattr__(self, attr: str) -> object:
        return getattr(os, attr)


def test_the_output_folder_check_is_the_projects_not_os_access(tmp_path: Path, monkeypatch) -> None:
    from fosp_core.annotation import project_files

    def refused(path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202 - the folder's ACL says no
        raise PermissionError(13, "Access is denied", str(path))

    monkeypatch.setattr(os, "access", lambda *a, **k: True)  # Windows' answer for any folder
    monkeypatch.setattr(project_files, "os", _WindowsOs(refused))
    parent = tmp_path / "shared"
    parent.mkdir()
    reason = predict_cli.out_dir_problem(parent / "out")
    assert reason == f"{parent}: permission denied (no folder can be made there)", reason


def test_a_writable_output_folder_passes(tmp_path: Path) -> None:
    assert predict_cli.out_dir_problem(tmp_path / "new" / "out") is None
    assert predict_cli.out_dir_problem(tmp_path) is None


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="root: os.access says yes everywhere")
def test_root_is_refused_a_folder_nobody_may_write(tmp_path: Path) -> None:
    parent = tmp_path / "shared"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        assert predict_cli.out_dir_problem(parent / "out") is not None
    finally:
        parent.chmod(0o755)
