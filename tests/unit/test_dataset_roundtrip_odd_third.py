"""Dataset round trips on odd inputs, third sweep (Q7):

- two files for one id in a SmokeSeg folder (``JPEGImages/x.jpg`` + ``x.png``, or two masks of one
  id) are named, both, when the app opens the folder, as for a SMOKE5K one, and are not listed:
  the annotation project leaves them out (they opened with no document and no message);
- ``fosp dataset convert --split`` keeps exact duplicates (the same bytes under two names) in one
  split, as the project export's drawn splits do;
- convert's "listed in no split" names an id that ``--skip-bad`` leaves out for failing to decode
  once, under that reason.
"""

from __future__ import annotations

from pathlib import Path

from fosp_core.cli import main
from tests.unit.odd_dataset_files import two_files_for_one_id, write_image, write_mask

# --- 1. two files for one id in a SmokeSeg folder ----------------------------------------------------

def test_the_app_names_both_files_of_one_smokeseg_id(tmp_path: Path) -> None:
    from fosp_core.annotation.labels import read_source
    from fosp_core.open_paths import collect_image_paths

    root = two_files_for_one_id(tmp_path / "ds", "JPEGImages", "SegmentationClass")
    images, errors = collect_image_paths([root])
    _, items = read_source(root, images)
    assert [item.id for item in items] == ["r0"]  # the project leaves x and y out
    assert [p.name for p in images] == ["r0.jpg"]  # was all four: three opened with no document
    said = {e.path.name: str(e) for e in errors}
    assert set(said) == {"x", "y"}  # was []: no word
    assert "not opened: two files for one id: x.jpg and x.png" in said["x"]
    assert "y.bmp and y.png" in said["y"] and f"{root / 'SegmentationClass'}" in said["y"]


def test_a_linked_smokeseg_clash_is_left_out_and_named(tmp_path: Path) -> None:
    """A file of the clash that is a symbolic link is listed under its target's path: left out too."""
    from fosp_core.open_paths import collect_image_paths

    root = tmp_path / "ds"
    write_image(root / "JPEGImages" / "r0.jpg", 0)
    (root / "JPEGImages" / "x.jpg").symlink_to(write_image(tmp_path / "elsewhere" / "photo.jpg", 1))
    write_image(root / "JPEGImages" / "x.png", 2)
    images, errors = collect_image_paths([root])
    assert [p.name for p in images] == ["r0.jpg"]
    assert [e.path.name for e in errors] == ["x"]


def test_a_smokeseg_folder_without_clashes_opens_as_before(tmp_path: Path) -> None:
    from fosp_core.open_paths import collect_image_paths

    root = tmp_path / "ds"
    for k, name in enumerate(("a.jpg", "b.png")):
        write_image(root / "JPEGImages" / name, k)
    images, errors = collect_image_paths([root])
    assert [p.name for p in images] == ["a.jpg", "b.png"] and errors == []


def test_smokeseg_left_out_is_what_open_dataset_leaves_out(tmp_path: Path) -> None:
    """The app's cheap reading names what the project's reading (`open_dataset`) leaves out."""
    from fosp_core.data.datasets import open_dataset, smokeseg_left_out

    root = two_files_for_one_id(tmp_path / "ds", "JPEGImages", "SegmentationClass")
    (root / "JPEGImages" / "gone.jpg").symlink_to(tmp_path / "nowhere.jpg")
    (root / "SegmentationClass" / "r0.bmp").symlink_to(tmp_path / "nowhere.bmp")
    dataset = open_dataset(root, on_error="skip", check_sizes=False, keep_unlabelled=True)
    assert smokeseg_left_out(root) == dataset.skipped
    assert {i for i, _ in dataset.skipped} == {"gone", "r0", "x", "y"}


# --- 2. convert --split keeps exact duplicates together ---------------------------------------------

def _split_lists(dst: Path) -> dict[str, list[str]]:
    folder = dst / "ImageSets" / "Segmentation"
    return {p.stem: p.read_text(encoding="utf-8").split() for p in sorted(folder.glob("*.txt"))}


def test_convert_split_keeps_exact_duplicates_together(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    """8 photos and one copy (same bytes, its own mask), split 0.5/0.5 for seeds 0..11: the copy is
    always in its original's split, and convert names the pair."""
    src = tmp_path / "src"
    for k in range(8):
        write_image(src / "JPEGImages" / f"p{k}.jpg", k)
        write_mask(src / "SegmentationClass" / f"p{k}.png")
    (src / "JPEGImages" / "p3 copy.jpg").write_bytes((src / "JPEGImages" / "p3.jpg").read_bytes())
    write_mask(src / "SegmentationClass" / "p3 copy.png")
    apart: list[int] = []
    errs: list[str] = []
    for seed in range(12):
        dst = tmp_path / f"out{seed}"
        assert main(["dataset", "convert", str(src), str(dst), "--split", "0.5,0.5", "--seed", str(seed)]) == 0
        lists = _split_lists(dst)
        assert sorted(i for ids in lists.values() for i in ids) == sorted([*(f"p{k}" for k in range(8)), "p3_copy"])
        if not any("p3" in ids and "p3_copy" in ids for ids in lists.values()):
            apart.append(seed)
        errs.append(capsys.readouterr().err)
    assert apart == []  # before: split apart for seeds 0, 1, 6 and 8
    assert all("(each kept in one split): p3 = p3 copy" in err for err in errs)


# --- 4. an unlisted item that fails to decode is named once ----------------------------------------

def test_convert_names_an_unlisted_undecodable_item_once(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    src = tmp_path / "src"
    for k in range(3):
        write_image(src / "JPEGImages" / f"p{k}.jpg", k)
        write_mask(src / "SegmentationClass" / f"p{k}.png")
    good = write_image(tmp_path / "whole.jpg", 9).read_bytes()
    (src / "JPEGImages" / "broken.jpg").write_bytes(good[: len(good) // 3])  # the header reads, the pixels do not
    write_mask(src / "SegmentationClass" / "broken.png")
    write_image(src / "JPEGImages" / "loose.jpg", 7)
    write_mask(src / "SegmentationClass" / "loose.png")
    splits = src / "ImageSets" / "Segmentation"
    splits.mkdir(parents=True)
    (splits / "train.txt").write_text("p0\np1\n", encoding="utf-8")
    (splits / "val.txt").write_text("p2\n", encoding="utf-8")
    assert main(["dataset", "convert", str(src), str(tmp_path / "out"), "--skip-bad"]) == 0
    err = capsys.readouterr().err
    no_split = next(line for line in err.splitlines() if "listed in no split" in line)
    assert "loose" in no_split and "broken" not in no_split  # was named here too: it is not written
    assert sum("broken" in line for line in err.splitlines()) == 1
    assert any(line.startswith("skipped broken:") for line in err.splitlines())
