"""One meaning per exit code across the `fosp` commands (`fosp_core.cli.ExitCode`, the README's
table): 0 done, 1 failed, 2 usage or missing input, 3 nothing to do. "Nothing to export" was 1 for
`fosp project export` and `fosp video export` while "nothing to do" was 3 for `fosp predict` and
`fosp project import`; `fosp dataset convert` of an empty dataset wrote an empty one and exited 0,
`fosp eval` on no image printed a table of dashes and exited 0. Each command's "nothing to do" and
one failure are run here in-process through `fosp_core.cli.main`."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation.project import Project
from fosp_core.cli import main
from fosp_core.video.testclip import write_clip
from fosp_core.video.timeline import VideoAnnotations


def _dataset(folder: Path, n: int = 3) -> Path:
    """A SMOKE5K-style dataset (img/ + gt/) of `n` 24x32 images, each with a smoke mask."""
    (folder / "img").mkdir(parents=True)
    (folder / "gt").mkdir()
    for i in range(n):
        cv2.imwrite(str(folder / "img" / f"s{i}.jpg"), np.full((24, 32, 3), 60 * i, np.uint8))
        mask = np.zeros((24, 32), np.uint8)
        mask[4:12, 6:20 + i] = 255
        cv2.imwrite(str(folder / "gt" / f"s{i}.png"), mask)
    return folder


def _empty_smokeseg(folder: Path) -> Path:
    """A SmokeSeg dataset without images (its folders are there)."""
    (folder / "JPEGImages").mkdir(parents=True)
    (folder / "SegmentationClass").mkdir()
    return folder


def _project(tmp_path: Path, imported: bool) -> Path:
    """The annotation project of a 3-image dataset; with `imported`, its labels are its masks."""
    data = _dataset(tmp_path / "data")
    Project.open(data / "img", tmp_path / "project").close()
    if imported:
        assert main(["project", "import", str(tmp_path / "project"), str(data / "gt")]) == 0
    return tmp_path / "project"


def _clip(tmp_path: Path, masks: list[int]) -> Path:
    """A 12-frame clip with masks on `masks`, where the app keeps them."""
    clip = write_clip(tmp_path / "clip.mp4", frames=12, size=(64, 48), fps=12.0)
    notes = VideoAnnotations(clip, 12, (48, 64))
    mask = np.zeros(notes.shape, np.uint8)
    mask[10:30, 20:50] = 1
    for frame in masks:
        notes.save_mask(frame, mask)
    return clip


def _non_empty(folder: Path) -> Path:
    folder.mkdir()
    (folder / "keep.txt").write_text("not ours")
    return folder


def test_the_codes_are_the_readmes(tmp_path: Path) -> None:
    from fosp_core.cli import ExitCode

    assert {c.name: int(c) for c in ExitCode} == {"OK": 0, "FAILED": 1, "USAGE": 2, "NOTHING_TO_DO": 3,
                                                  "INTERRUPTED": 130}
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert all(f"| {int(c)} |" in readme for c in ExitCode)  # the README's table has a row per code


@pytest.mark.parametrize("reviewed_only", [False, True])
def test_project_export_with_no_mask_is_nothing_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      reviewed_only: bool) -> None:
    project = _project(tmp_path, imported=reviewed_only)  # imported masks are not reviewed
    capsys.readouterr()
    flags = ["--reviewed-only"] if reviewed_only else []
    assert main(["project", "export", str(project), str(tmp_path / "out"), *flags]) == 3  # was 1
    err = capsys.readouterr().err
    assert err.startswith("nothing to export:") and ("reviewed " in err) == reviewed_only
    assert not (tmp_path / "out").exists()


def test_project_export_failures_stay_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, imported=True)
    out = _non_empty(tmp_path / "out")
    assert main(["project", "export", str(project), str(out)]) == 1  # not empty, no --overwrite
    for mask in (project / "masks").rglob("*.png"):  # masks there, none readable: failed, not "nothing"
        mask.write_bytes(b"not a png")
    capsys.readouterr()
    assert main(["project", "export", str(project), str(tmp_path / "out2")]) == 1
    assert "nothing to export" in capsys.readouterr().err  # the core's reason: every mask left out
    assert not (tmp_path / "out2").exists()


def test_project_import_nothing_is_3_and_a_failed_mask_is_1(tmp_path: Path) -> None:
    project = _project(tmp_path, imported=False)
    stray = tmp_path / "stray"
    stray.mkdir()
    cv2.imwrite(str(stray / "unrelated.png"), np.zeros((24, 32), np.uint8))
    assert main(["project", "import", str(project), str(stray)]) == 3
    wrong = tmp_path / "wrong"
    wrong.mkdir()
    cv2.imwrite(str(wrong / "s0.png"), np.zeros((5, 5), np.uint8))  # not the image's size
    assert main(["project", "import", str(project), str(wrong)]) == 1


@pytest.mark.parametrize(("masks", "frames"), [([], []), ([], ["--frames", "keyframes"]),
                                             ([3], ["--frames", "every", "--every", "5"])])  # not on 0, 5, 10
def test_video_export_with_no_mask_is_nothing_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    masks: list[int], frames: list[str]) -> None:
    clip = _clip(tmp_path, masks)
    assert main(["video", "export", str(clip), str(tmp_path / "out"), "--all-train", *frames]) == 3  # was 1
    err = capsys.readouterr().err
    assert err.startswith("nothing to export:") and "has a mask" in err
    assert not (tmp_path / "out").exists()


def test_video_export_into_a_non_empty_folder_fails_with_1(tmp_path: Path) -> None:
    clip = _clip(tmp_path, [2, 6])
    out = _non_empty(tmp_path / "out")
    assert main(["video", "export", str(clip), str(out), "--all-train"]) == 1
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


def test_predict_with_no_image_is_nothing_to_do(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["predict", str(tmp_path / "empty"), "--out", str(tmp_path / "out")]) == 3
    assert not (tmp_path / "out").exists()


def test_dataset_convert_of_no_image_is_nothing_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _empty_smokeseg(tmp_path / "src")
    assert main(["dataset", "convert", str(src), str(tmp_path / "dst")]) == 3  # was 0, an empty dataset written
    assert capsys.readouterr().err.startswith("nothing to convert:")
    assert not (tmp_path / "dst").exists()
    data = _dataset(tmp_path / "data")
    assert main(["dataset", "convert", str(data), str(_non_empty(tmp_path / "full"))]) == 1
    assert main(["dataset", "convert", str(tmp_path / "missing"), str(tmp_path / "dst")]) == 2


def test_eval_on_no_image_is_nothing_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dataset = _empty_smokeseg(tmp_path / "data")
    (tmp_path / "preds").mkdir()
    assert main(["eval", "--dataset", str(dataset), "--predictions", str(tmp_path / "preds")]) == 3  # was 0
    assert capsys.readouterr().err.startswith("nothing to evaluate:")
    data = _dataset(tmp_path / "full")
    for i in range(3):  # predictions of another size: the evaluation fails
        cv2.imwrite(str(tmp_path / "preds" / f"s{i}.png"), np.zeros((5, 5), np.uint8))
    assert main(["eval", "--dataset", str(data), "--predictions", str(tmp_path / "preds")]) == 1


def test_reports_exit_0_on_an_empty_dataset_and_1_on_an_unreadable_image(tmp_path: Path) -> None:
    assert main(["dataset", "stats", str(_empty_smokeseg(tmp_path / "empty"))]) == 0  # "0 images" is the answer
    data = _dataset(tmp_path / "data")
    (data / "img" / "s1.jpg").write_bytes(b"not a jpeg")
    assert main(["dataset", "stats", str(data)]) == 1
    assert main(["dataset", "stats", str(data), "--skip-bad"]) == 0


def test_the_readme_names_every_refusal_that_stops_fosp_predict() -> None:
    """`fosp predict` stops (exit 1) at the first write a full disk refuses, and since 2ab04cf also at
    a read-only file system's (EROFS); the README's exit-1 row named the full disk only. A refusal of
    one file (EACCES) fails that image alone: the run goes on, so it is no stop."""
    import errno

    from fosp_core.infer.jobs import _refused_everywhere

    words = {errno.ENOSPC: "full disk", errno.EROFS: "read-only file system"}
    stops = {_refused_everywhere(OSError(e, "refused")) for e in (errno.ENOSPC, errno.EDQUOT, errno.EROFS,
                                                                   errno.EACCES, errno.EPERM)} - {None}
    assert stops <= words.keys(), stops  # a new kind of stop needs its words in the README
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| 1 |"))
    stopped = row[row.index("`fosp predict` stopped by"):]
    stopped = stopped[:stopped.index(")") + 1]
    assert all(words[code] in stopped for code in stops), stopped
