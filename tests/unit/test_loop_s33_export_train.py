"""`fosp project export` on the bundled demo (a SmokeSeg dataset whose 4 images are all listed in `val`): kept as
they were, the source's splits left train empty (train 0, val 4) and the README's fine-tune line on the export
stopped with "no labelled images". By default the export now draws new splits when the source's would leave
nothing to train on, and says why; `--keep-splits` asked for keeps them, with a warning. No model runs here."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fosp_core.cli import main as fosp
from fosp_core.data.datasets import open_dataset

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of resources/demo with its project made and its 4 reference masks imported as corrections."""
    photos = tmp_path / "photos"
    shutil.copytree(ROOT / "resources" / "demo", photos)
    shutil.copytree(photos / "SegmentationClass", tmp_path / "corrected")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    assert fosp(["project", "init", "photos"]) == 0
    assert fosp(["project", "import", "photos", "corrected"]) == 0
    return photos


def split_lines(folder: Path) -> dict[str, list[str]]:
    lists = folder / "ImageSets" / "Segmentation"
    return {p.stem: p.read_text().split() for p in sorted(lists.glob("*.txt"))}


def test_the_demo_export_has_images_to_train_on(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert fosp(["project", "export", "photos", "DIR/my-export"]) == 0
    out = capsys.readouterr().out
    lists = split_lines(demo.parent / "DIR" / "my-export")
    assert len(lists["train"]) >= 2 and len(lists["val"]) == 1, (lists, out)
    assert sum(len(lists[name]) for name in ("train", "val", "test")) == 4
    assert "(train 2, val 1, test 1; new splits 0.8/0.1/0.1" in out, out
    assert "the source's splits put all 4 in val: nothing to train on" in out, out
    train = open_dataset(demo.parent / "DIR" / "my-export", split="train")
    assert len(train) == 2


def test_keep_splits_asked_for_keeps_them_and_warns(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert fosp(["project", "export", "photos", "kept", "--keep-splits"]) == 0
    captured = capsys.readouterr()
    kept = split_lines(demo.parent / "kept")
    assert kept["train"] == [] and sorted(kept["val"]) == sorted(split_lines(demo)["val"])
    assert "(train 0, val 4)" in captured.out
    assert "no image in train (the source's splits put all 4 in val)" in captured.err, captured.err


def test_a_source_with_train_images_keeps_its_splits(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The fallback is only for an empty train: a source with a train split is kept as before."""
    lists = demo / "ImageSets" / "Segmentation"
    names = lists.joinpath("val.txt").read_text().split()
    lists.joinpath("train.txt").write_text("\n".join(names[:3]) + "\n")
    lists.joinpath("val.txt").write_text(names[3] + "\n")
    shutil.rmtree(demo / ".fosp")
    assert fosp(["project", "init", "photos"]) == 0
    assert fosp(["project", "import", "photos", "corrected"]) == 0
    capsys.readouterr()
    assert fosp(["project", "export", "photos", "again"]) == 0
    out = capsys.readouterr().out
    assert "(train 3, val 1)" in out and "new splits" not in out, out
