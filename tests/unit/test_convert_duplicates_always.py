"""`fosp dataset convert` checks exact duplicates (the same image bytes under two names) whatever the
splits: it did only with ``--split`` (where it keeps each group in one split). Kept splits (SRC's split
files, or everything in train) are written as they were; the duplicates are named, and a group those
splits put in more than one split is named with its splits."""

from __future__ import annotations

from pathlib import Path

from fosp_core.cli import main
from tests.unit.odd_dataset_files import write_image, write_mask


def _split_lists(dst: Path) -> dict[str, list[str]]:
    folder = dst / "ImageSets" / "Segmentation"
    return {p.stem: p.read_text(encoding="utf-8").split() for p in sorted(folder.glob("*.txt"))}


def _smokeseg_with_a_copy(src: Path, lists: dict[str, str] | None) -> Path:
    """p0..p3 and 'p1 copy' (p1's bytes), each with a mask; split files `lists` (name -> text)."""
    for k in range(4):
        write_image(src / "JPEGImages" / f"p{k}.jpg", k)
        write_mask(src / "SegmentationClass" / f"p{k}.png")
    (src / "JPEGImages" / "p1 copy.jpg").write_bytes((src / "JPEGImages" / "p1.jpg").read_bytes())
    write_mask(src / "SegmentationClass" / "p1 copy.png")
    for name, text in (lists or {}).items():
        path = src / "ImageSets" / "Segmentation" / f"{name}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return src


def test_convert_keeping_source_splits_names_a_copy_split_apart(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    src = _smokeseg_with_a_copy(tmp_path / "src", {"train": "p0\np1\np2\n", "val": "p1 copy\np3\n"})
    assert main(["dataset", "convert", str(src), str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "exact duplicates, the same image file under two names: p1 = p1 copy" in err  # was: not a word
    assert "not kept in one split" in err and "p1 = p1 copy in train and val" in err
    assert "each kept in one split" not in err  # the source's splits are not changed
    assert _split_lists(tmp_path / "out") == {"train": ["p0", "p1", "p2"], "val": ["p1_copy", "p3"]}


def test_convert_into_train_alone_names_the_copy(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    src = _smokeseg_with_a_copy(tmp_path / "src", None)  # no split files: everything in train
    assert main(["dataset", "convert", str(src), str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err  # one split: the export's words (duplicates_words)
    assert "exact duplicates, the same image file under two names (each kept in one split): p1 = p1 copy" in err
    assert "not kept in one split" not in err
    assert _split_lists(tmp_path / "out") == {"train": ["p0", "p1", "p1_copy", "p2", "p3"]}


def test_convert_without_duplicates_says_nothing_of_them(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    src = tmp_path / "src"
    for k in range(3):
        write_image(src / "img" / f"p{k}.jpg", k)
        write_mask(src / "gt" / f"p{k}.png")
    assert main(["dataset", "convert", str(src), str(tmp_path / "out")]) == 0
    assert "duplicate" not in capsys.readouterr().err


def test_the_note_words_drawn_and_kept_splits() -> None:
    from fosp_core.cli.dataset import duplicates_note

    groups = [["a", "a copy"], ["b", "b2", "b3"]]
    together = {"train": ["a", "a copy"], "val": ["b", "b2", "b3"]}  # as drawn splits keep them
    assert duplicates_note(groups, together) == (
        "exact duplicates, the same image file under two names (each kept in one split): a = a copy, b = b2 = b3")
    splits = {"train": ["a", "b", "b2"], "val": ["a copy"], "test": ["b3"]}
    kept = duplicates_note(groups, splits)
    assert kept.endswith("a = a copy in train and val, b = b2 = b3 in train and test")
    assert "each kept in one split" not in kept
