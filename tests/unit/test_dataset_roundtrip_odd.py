"""A user's own smoke dataset with odd but real files, taken round the loop: open in the app
(the project's image list), `fosp dataset` stats/convert, project export, training data.

Each dataset here is made by the test (tiny images, masks in the encodings users save): a few
masks missing, a JPEG mask, names with white space, a flat SMOKE5K folder (``img/`` + ``gt/``
directly in it, as the SMOKE5K training set is shipped). What each test pins:

- an image of a labelled dataset whose mask is missing is still an image to label: the annotation
  project lists it (unlabeled) and the app opens it, for SmokeSeg and SMOKE5K layouts alike;
- `fosp dataset convert` takes ids with white space as the project export does (``_``), instead of
  refusing the whole dataset, even with ``--skip-bad``;
- a flat SMOKE5K folder has no splits: its project's images are in none (the export then draws
  its seeded splits), not in a split named after the folder;
- sizes in messages read width x height everywhere.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.cli import main
from fosp_core.data.datasets import open_dataset
from tests.unit.odd_dataset_files import H, W, write_image, write_mask


def smokeseg_with_gaps(root: Path) -> Path:
    """SmokeSeg layout: a, b labelled; c without a mask; d with a JPEG 'mask' only."""
    for k, name in enumerate("abcd"):
        write_image(root / "JPEGImages" / f"{name}.jpg", k)
    write_mask(root / "SegmentationClass" / "a.png", 1)
    write_mask(root / "SegmentationClass" / "b.png", 1)
    Image.fromarray(np.zeros((H, W), np.uint8)).save(root / "SegmentationClass" / "d.jpg")
    return root


def smoke5k_with_gaps(root: Path) -> Path:
    """Flat SMOKE5K layout (img/ + gt/ in the root): r0, r1 labelled, nomask without a mask."""
    for k, name in enumerate(("r0", "r1", "nomask")):
        write_image(root / "img" / f"{name}.jpg", k)
    write_mask(root / "gt" / "r0.png")
    write_mask(root / "gt" / "r1.png")
    return root


# --- an image without a mask is still an image to label ----------------------------------------

@pytest.mark.parametrize("make", [smokeseg_with_gaps, smoke5k_with_gaps])
def test_open_dataset_keeps_images_without_masks_when_asked(tmp_path: Path, make) -> None:  # noqa: ANN001
    root = make(tmp_path / "ds")
    strict = open_dataset(root, on_error="skip")
    kept = open_dataset(root, on_error="skip", keep_unlabelled=True)
    unlabelled = {"c", "d"} if (root / "JPEGImages").is_dir() else {"nomask"}
    assert {s for s, _ in strict.skipped} == unlabelled  # training and eval still leave them out, named
    assert set(kept.ids) == set(strict.ids) | unlabelled
    assert kept.skipped == []
    assert {e.id for e in kept.entries if e.mask is None} == unlabelled


def test_a_project_lists_the_images_whose_mask_is_missing(tmp_path: Path) -> None:
    from fosp_core.annotation.labels import read_source

    root = smokeseg_with_gaps(tmp_path / "ds")
    _layout, items = read_source(root)
    by_id = {item.id: item for item in items}
    assert sorted(by_id) == ["a", "b", "c", "d"]
    assert by_id["c"].label is None and by_id["d"].label is None
    assert by_id["a"].label == "SegmentationClass/a.png"


def test_the_app_opens_every_image_of_a_smoke5k_folder_with_gaps(tmp_path: Path) -> None:
    from fosp_core.open_paths import collect_image_paths

    root = smoke5k_with_gaps(tmp_path / "ds")
    images, errors = collect_image_paths([root])
    assert sorted(p.name for p in images) == ["nomask.jpg", "r0.jpg", "r1.jpg"]
    assert errors == []


# --- a flat SMOKE5K folder has no splits ------------------------------------------------------------

def test_a_flat_smoke5k_folder_puts_its_images_in_no_split(tmp_path: Path) -> None:
    from fosp_core.annotation.labels import read_source

    flat = smoke5k_with_gaps(tmp_path / "smoke5k-train")
    _layout, items = read_source(flat)
    assert {item.split for item in items} == {None}

    nested = tmp_path / "smoke5k"  # train/ and test/ sub-folders: those are its splits
    smoke5k_with_gaps(nested / "train")
    write_image(nested / "test" / "img" / "t0.jpg", 9)
    write_mask(nested / "test" / "gt" / "t0.png")
    _layout, items = read_source(nested)
    assert {item.id: item.split for item in items} == {"r0": "train", "r1": "train", "nomask": "train",
                                                       "t0": "test"}


# --- fosp dataset convert and names with white space ----------------------------------------------

def test_convert_takes_ids_with_white_space_as_the_export_does(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    src = tmp_path / "src"
    for k, name in enumerate(("smoke plume 1", "fumée_été", "plain")):
        write_image(src / "img" / f"{name}.jpg", k)
        write_mask(src / "gt" / f"{name}.png")
    dst = tmp_path / "out"
    assert main(["dataset", "convert", str(src), str(dst)]) == 0
    out = capsys.readouterr()
    assert sorted(p.name for p in (dst / "JPEGImages").iterdir()) == ["fumée_été.jpg", "plain.jpg",
                                                                     "smoke_plume_1.jpg"]
    assert (dst / "ImageSets/Segmentation/train.txt").read_text(encoding="utf-8").split("\n")[:-1] == [
        "fumée_été", "plain", "smoke_plume_1"]
    assert "smoke plume 1 -> smoke_plume_1" in out.err  # the renaming is said, not silent
    reopened = open_dataset(dst, "train")
    assert len(reopened) == 3 and reopened.skipped == []


def test_convert_renames_without_taking_an_existing_id(tmp_path: Path) -> None:
    src = tmp_path / "src"
    for k, name in enumerate(("a b", "a_b")):
        write_image(src / "img" / f"{name}.jpg", k)
        write_mask(src / "gt" / f"{name}.png")
    dst = tmp_path / "out"
    assert main(["dataset", "convert", str(src), str(dst)]) == 0
    assert sorted(p.stem for p in (dst / "JPEGImages").iterdir()) == ["a_b", "a_b_2"]


def test_stats_refusal_says_how_to_go_on(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    root = smokeseg_with_gaps(tmp_path / "ds")
    assert main(["dataset", "stats", str(root)]) == 1  # one input failed (refused_code)
    err = capsys.readouterr().err
    assert "c.jpg" in err or "'c'" in err
    assert "--skip-bad" in err


# --- sizes read width x height in every message ----------------------------------------------------

def test_an_imported_mask_of_another_size_is_said_width_by_height(tmp_path: Path) -> None:
    from fosp_core.annotation.labels import LabelError, read_label

    image = write_image(tmp_path / "img.jpg", 0)
    mask = write_mask(tmp_path / "m.png", size=(10, 8))
    with pytest.raises(LabelError, match=r"is 10x8, the image is 32x24"):
        read_label(mask, None, image)


# --- a link whose target is gone is named, not dropped in silence -----------------------------------

def test_a_broken_link_among_the_images_is_named(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    root = smoke5k_with_gaps(tmp_path / "ds")
    (root / "img" / "moved.jpg").symlink_to(tmp_path / "elsewhere" / "moved.jpg")
    (root / "gt" / "moved.png").symlink_to(tmp_path / "elsewhere" / "moved.png")
    dataset = open_dataset(root, on_error="skip")
    reasons = dict(dataset.skipped)
    assert "broken link" in reasons["moved"] and "elsewhere" in reasons["moved"]
    assert set(dataset.ids) == {"r0", "r1"}
    assert main(["dataset", "stats", str(root)]) == 1  # one input failed (refused_code)
    assert "moved.jpg" in capsys.readouterr().err


# --- images in sub-folders, which no reader takes, are pointed out ---------------------------------

def test_stats_names_the_sub_folders_whose_images_are_not_read(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    from fosp_core.data.stats import dataset_stats, format_stats

    root = smokeseg_with_gaps(tmp_path / "ds")
    write_image(root / "JPEGImages" / "sub" / "nested.jpg", 5)
    write_image(root / "JPEGImages" / "sub" / "deeper" / "more.jpg", 6)
    write_mask(root / "SegmentationClass" / "sub" / "nested.png", 1)
    (root / "JPEGImages" / "empty").mkdir()
    stats = dataset_stats(open_dataset(root, on_error="skip"))
    assert stats.not_read == [("JPEGImages/sub", 2), ("SegmentationClass/sub", 1)]
    text = format_stats(stats)
    assert "not read (images lie directly in their folder): JPEGImages/sub/ 2 files" in text
    assert "empty" not in text
    assert stats.to_json()["not_read"] == {"JPEGImages/sub": 2, "SegmentationClass/sub": 1}
