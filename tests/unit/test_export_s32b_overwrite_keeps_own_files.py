"""``--overwrite`` (and the writer's overwrite=True) replaced a destination folder whole, whatever it held: ``fosp
project export PROJECT ~/Documents --overwrite`` deleted the user's notes.txt with the folder. Only an earlier
export (JPEGImages, SegmentationClass, ImageSets, a file browser's .DS_Store/Thumbs.db/desktop.ini) is replaced
now; a folder holding anything else is refused, overwrite or not, naming up to 3 of its files (exit 1 on the
command line), and nothing is deleted. The rule is `fosp_core.data.export_folder`, which the app's Export
dialogs use too."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.project import Project
from fosp_core.cli import main
from fosp_core.data.datasets import open_dataset
from fosp_core.data.smokeseg import SmokeSegWriteError, write_smokeseg
from fosp_core.data.types import Sample


def _samples(n: int = 2) -> list[Sample]:
    image = np.full((16, 16, 3), 90, np.uint8)
    mask = np.zeros((16, 16), np.uint8)
    mask[4:8, 4:8] = 1
    return [Sample(f"s{i}", image, mask) for i in range(n)]


def _mine(tmp_path: Path, *names: str) -> Path:
    """A folder of the user's own files (`names`, each holding "mine <name>")."""
    folder = tmp_path / "Documents ü"
    folder.mkdir()
    for name in names:
        (folder / name).write_text(f"mine {name}")
    return folder


def _files(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in folder.iterdir()}


def test_the_writer_with_overwrite_keeps_a_folder_of_ones_own_files(tmp_path: Path) -> None:
    mine = _mine(tmp_path, "notes.txt")
    beside = sorted(os.listdir(tmp_path))
    with pytest.raises(SmokeSegWriteError) as caught:
        write_smokeseg(_samples(), mine, overwrite=True)
    assert "notes.txt" in str(caught.value) and "choose another folder" in str(caught.value)
    assert _files(mine) == {"notes.txt": "mine notes.txt"}  # was: replaced by the dataset
    assert sorted(os.listdir(tmp_path)) == beside  # no temporary folder left


def test_without_overwrite_it_is_told_that_overwrite_would_not_do_either(tmp_path: Path) -> None:
    mine = _mine(tmp_path, "notes.txt")
    with pytest.raises(SmokeSegWriteError, match="not empty") as caught:
        write_smokeseg(_samples(), mine)
    assert "notes.txt" in str(caught.value) and "pass overwrite=True / --overwrite to replace it" \
        not in str(caught.value)  # was: advised the flag that deletes them
    assert _files(mine) == {"notes.txt": "mine notes.txt"}


def test_an_earlier_export_with_a_file_browsers_litter_is_still_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_smokeseg(_samples(3), out)
    for junk in (".DS_Store", "Thumbs.db", "desktop.ini"):
        (out / junk).write_text("x")
    write_smokeseg(_samples(2), out, overwrite=True)
    assert sorted(open_dataset(out).ids) == ["s0", "s1"]


def test_files_that_appear_while_writing_are_not_deleted(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_smokeseg(_samples(), out)

    def progress(done: int, _total: int | None) -> None:
        if done == 1:
            (out / "notes.txt").write_text("mine")

    with pytest.raises(SmokeSegWriteError, match="notes.txt"):
        write_smokeseg(_samples(), out, overwrite=True, progress=progress)
    assert (out / "notes.txt").read_text() == "mine" and (out / "JPEGImages").is_dir()


@pytest.fixture
def project(demo_dir: Path, tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    shutil.copytree(demo_dir, root)
    with Project.open(root):
        pass
    assert main(["project", "import", str(root)]) == 0
    return root


def test_project_export_overwrite_refuses_and_names_three(project: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    mine = _mine(tmp_path, "notes.txt", "a.txt", "b.txt", "c.txt")
    capsys.readouterr()
    assert main(["project", "export", str(project), str(mine), "--overwrite"]) == 1  # was 0: all four deleted
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(mine) in err
    assert "a.txt, b.txt, c.txt and 1 more" in err and "--overwrite" in err and "overwrite=True" not in err
    assert len(_files(mine)) == 4


def test_dataset_convert_overwrite_keeps_notes(demo_dir: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    mine = _mine(tmp_path, "notes.txt")
    assert main(["dataset", "convert", str(demo_dir), str(mine), "--to", "smokeseg", "--overwrite"]) == 1
    err = capsys.readouterr().err
    assert "notes.txt" in err and "choose another folder" in err
    assert _files(mine) == {"notes.txt": "mine notes.txt"}


def test_dataset_synth_overwrite_keeps_notes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    backgrounds = tmp_path / "bg"
    backgrounds.mkdir()
    from PIL import Image

    Image.fromarray(np.full((64, 64, 3), 120, np.uint8)).save(backgrounds / "b.jpg")
    mine = _mine(tmp_path, "notes.txt")
    code = main(["dataset", "synth", "--backgrounds", str(backgrounds), "--n", "1", "--size", "64", str(mine),
                 "--overwrite"])
    assert code == 1, capsys.readouterr().err
    assert "notes.txt" in capsys.readouterr().err
    assert _files(mine) == {"notes.txt": "mine notes.txt"}


def test_video_export_overwrite_keeps_notes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from fosp_core.video.testclip import write_clip
    from fosp_core.video.timeline import VideoAnnotations

    clip = write_clip(tmp_path / "clip.mp4", frames=12, fps=12.0)
    notes = VideoAnnotations(clip, 12, (120, 160))
    mask = np.zeros(notes.shape, np.uint8)
    mask[10:30, 20:50] = 1
    for frame in (0, 4, 8):
        notes.save_mask(frame, mask)
    mine = _mine(tmp_path, "notes.txt")
    assert main(["video", "export", str(clip), str(mine), "--all-train", "--overwrite"]) == 1
    assert "notes.txt" in capsys.readouterr().err
    assert _files(mine) == {"notes.txt": "mine notes.txt"}
