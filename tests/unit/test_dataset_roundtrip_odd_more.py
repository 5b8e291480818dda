"""More of a user's odd dataset round trip (after `test_dataset_roundtrip_odd`): what was still lost
or said wrong. What each test pins:

- the project export and `fosp dataset convert` name SmokeSeg ids by one rule
  (`fosp_core.data.smokeseg_ids`), and the export says a mask's wrong size width x height;
- a split file's line is one id, white space and all (as mmseg and torchvision read SmokeSeg/VOC
  lists): ``smoke plume 1`` is that image, not an id ``smoke``; convert drops no listed entry and
  no image in silence;
- two files for one id (``x.jpg`` + ``x.png``) are named, both, by the CLI and when the app opens
  the folder;
- exact duplicates (the same file bytes under two names) are named by ``fosp dataset stats`` and
  the export, and the export's drawn splits keep them together;
- ``fosp eval`` refusing a dataset for one item says what to do, as the other commands do.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from fosp_core.cli import main
from fosp_core.data.datasets import open_dataset
from tests.unit.odd_dataset_files import H, W, two_files_for_one_id, write_image, write_mask


def _labelled_project(folder: Path, names: list[str]):  # noqa: ANN202 - Project
    """A project of a plain folder of images `names` (.jpg), each with a saved mask."""
    from fosp_core.annotation.document import Status
    from fosp_core.annotation.project import Project

    for k, name in enumerate(names):
        write_image(folder / f"{name}.jpg", k)
    project = Project.open(folder, folder.parent / f"{folder.name}-project")
    for image_id in project.ids:
        mask = np.zeros((H, W), np.uint8)
        mask[2:9, 3:15] = 1
        project.save_mask(image_id, mask, Status.EDITED)
    return project


# --- 1. one rule for SmokeSeg ids; the export's sizes read width x height -------------------------

NAMES = ["a_b", "A B", "smoke plume 1", "smoke  plume\t1", "plain"]


def test_export_and_convert_name_ids_by_one_rule(tmp_path: Path) -> None:
    """Both writers give the same ids, and a renamed id never differs from another by case only
    ('A B' next to 'a_b': 'A_B' and 'a_b' are one file on macOS and Windows)."""
    from fosp_core.annotation.export import export_smokeseg

    with _labelled_project(tmp_path / "photos", NAMES) as project:
        report = export_smokeseg(project, tmp_path / "exported", splits=None)
    src = tmp_path / "src"
    for k, name in enumerate(NAMES):
        write_image(src / "img" / f"{name}.jpg", k)
        write_mask(src / "gt" / f"{name}.png")
    assert main(["dataset", "convert", str(src), str(tmp_path / "converted")]) == 0
    exported = sorted(p.stem for p in (tmp_path / "exported" / "JPEGImages").iterdir())
    converted = sorted(p.stem for p in (tmp_path / "converted" / "JPEGImages").iterdir())
    assert exported == converted == sorted(report.splits["train"])
    assert len({i.casefold() for i in exported}) == len(NAMES)
    assert "A_B" not in exported  # was written beside a_b


def test_the_exports_wrong_size_reason_reads_width_by_height(tmp_path: Path) -> None:
    from fosp_core.annotation.export import export_smokeseg
    from fosp_core.io.masks import encode_mask_png

    with _labelled_project(tmp_path / "photos", ["kept", "misfit"]) as project:
        project.mask_path("misfit").write_bytes(encode_mask_png(np.zeros((7, 9), np.uint8)))
        report = export_smokeseg(project, tmp_path / "out", splits=None)
    assert dict(report.skipped)["misfit"] == f"mask is 9x7, the image is {W}x{H}"


# --- 2. a split file's line is one id, white space and all ----------------------------------------

def _smokeseg_with_spaces(root: Path) -> Path:
    """SmokeSeg layout: 'smoke plume 1', 'a', 'b' labelled; train.txt lists the first two, val.txt b."""
    for k, name in enumerate(("smoke plume 1", "a", "b")):
        write_image(root / "JPEGImages" / f"{name}.jpg", k)
        write_mask(root / "SegmentationClass" / f"{name}.png", 1)
    lists = root / "ImageSets" / "Segmentation"
    lists.mkdir(parents=True)
    (lists / "train.txt").write_text("smoke plume 1\na\n", encoding="utf-8")
    (lists / "val.txt").write_text("  b  \n\n", encoding="utf-8")
    return root


def test_a_split_line_with_spaces_names_that_image(tmp_path: Path) -> None:
    from fosp_core.annotation.labels import read_source

    root = _smokeseg_with_spaces(tmp_path / "ds")
    train = open_dataset(root, "train")
    assert train.ids == ["smoke plume 1", "a"] and train.skipped == []
    _layout, items = read_source(root)  # the annotation project: its split kept for the export
    assert {item.id: item.split for item in items} == {"smoke plume 1": "train", "a": "train", "b": "val"}


def test_convert_keeps_a_listed_id_with_spaces_in_its_split(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    root = _smokeseg_with_spaces(tmp_path / "ds")
    dst = tmp_path / "out"
    assert main(["dataset", "convert", str(root), str(dst)]) == 0
    lists = dst / "ImageSets" / "Segmentation"
    assert sorted((lists / "train.txt").read_text(encoding="utf-8").split()) == ["a", "smoke_plume_1"]
    assert (lists / "val.txt").read_text(encoding="utf-8").split() == ["b"]
    assert "wrote 3 samples" in capsys.readouterr().out


def test_convert_names_what_its_split_files_do_not_keep(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    """A listed id without an image, an image in no split file: both said, neither in silence."""
    root = _smokeseg_with_spaces(tmp_path / "ds")
    (root / "ImageSets" / "Segmentation" / "val.txt").write_text("b\ngone\n", encoding="utf-8")
    write_image(root / "JPEGImages" / "loose.jpg", 7)
    write_mask(root / "SegmentationClass" / "loose.png", 1)
    assert main(["dataset", "convert", str(root), str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "val.txt line 2 'gone'" in err
    assert "listed in no split" in err and "loose" in err


# --- 3. two files for one id are named, both ---------------------------------------------------------

def test_the_app_names_both_files_of_one_id(tmp_path: Path) -> None:
    from fosp_core.open_paths import collect_image_paths

    root = two_files_for_one_id(tmp_path / "ds", "img", "gt")  # flat SMOKE5K
    images, errors = collect_image_paths([root])
    assert [p.name for p in images] == ["r0.jpg"]
    said = {e.path.name: str(e) for e in errors}
    assert set(said) == {"x", "y"}  # was []: both dropped without a word
    assert "x.jpg and x.png" in said["x"] and "y.bmp and y.png" in said["y"]
    assert f"{root / 'gt'}" in said["y"]  # the masks' folder, not img/


@pytest.mark.parametrize("command", ["stats", "convert"])
def test_the_cli_names_both_files_of_one_id(tmp_path: Path, capsys, command: str) -> None:  # noqa: ANN001
    root = two_files_for_one_id(tmp_path / "ds", "img", "gt")  # flat SMOKE5K
    args = [str(root)] if command == "stats" else [str(root), str(tmp_path / "out")]
    assert main(["dataset", command, *args, "--skip-bad"]) == 0
    said = capsys.readouterr()
    assert "x.jpg and x.png" in said.out + said.err and "y.bmp and y.png" in said.out + said.err
    assert main(["dataset", command, *args]) == 1  # refused, naming both, and what to do (an input that failed: 1)
    err = capsys.readouterr().err
    assert "x.jpg and x.png" in err and "--skip-bad" in err


# --- 4. exact duplicates are named, and a drawn split keeps them together ------------------------------

def test_stats_names_exact_duplicates(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    import json

    root = tmp_path / "ds"
    for k, name in enumerate(("a", "b", "c")):
        write_image(root / "img" / f"{name}.jpg", k)
        write_mask(root / "gt" / f"{name}.png")
    shutil.copyfile(root / "img" / "a.jpg", root / "img" / "a copy.jpg")
    shutil.copyfile(root / "gt" / "a.png", root / "gt" / "a copy.png")
    assert main(["dataset", "stats", str(root), "--json", str(tmp_path / "s.json")]) == 0
    assert "exact duplicates (the same image file under two names" in capsys.readouterr().out
    assert json.loads((tmp_path / "s.json").read_text())["duplicates"] == [["a", "a copy"]]


def test_the_exports_drawn_splits_keep_exact_duplicates_together(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    from fosp_core.annotation.export import export_smokeseg

    names = [f"p{k}" for k in range(8)]
    folder = tmp_path / "photos"
    write_image(folder / "p0 copy.jpg", 0)  # p0's bytes: write_image draws from the seed
    with _labelled_project(folder, names) as project:
        for seed in range(6, 12):  # seeds 6, 8, 10 and 11 drew them apart
            report = export_smokeseg(project, tmp_path / f"out{seed}", splits=(0.5, 0.5), seed=seed)
            where = {i: name for name, members in report.splits.items() for i in members}
            assert where["p0"] == where["p0_copy"], seed
            assert sorted(where) == sorted(["p0_copy", *names])
            assert report.duplicates == [["p0", "p0 copy"]]
    assert main(["project", "export", str(tmp_path / "photos-project"), str(tmp_path / "cli"), "--split", "0.5,0.5"]) == 0
    assert "exact duplicates, the same image file under two names (each kept in one split): p0 = p0 copy" in (
        capsys.readouterr().out)


# --- 5. fosp eval says what to do about a refused item, as the other commands do ------------------

def test_eval_refusing_an_item_says_how_to_go_on(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    root = tmp_path / "ds"
    for k, name in enumerate(("a", "b")):
        write_image(root / "img" / f"{name}.jpg", k)
    write_mask(root / "gt" / "a.png")  # b has none
    preds = tmp_path / "preds"
    write_mask(preds / "a.png")
    write_mask(preds / "b.png")
    assert main(["eval", "--dataset", str(root), "--predictions", str(preds)]) == 1  # an input that failed
    err = capsys.readouterr().err
    assert "'b'" in err and "--skip-bad" in err
    assert main(["eval", "--dataset", str(root), "--predictions", str(preds), "--skip-bad"]) == 0
