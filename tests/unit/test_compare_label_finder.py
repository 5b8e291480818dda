"""compare_truth.LabelFinder lists each label folder once and finds the same label file as
find_label (folders and file types in find_label's order); ProjectTruth.take then answers from what
it found without looking again."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.analysis import compare_truth
from fosp_core.analysis.compare_truth import LabelFinder, ProjectTruth, ground_truth, truth_counts_text
from fosp_core.analysis.results import find_label


def test_the_finder_finds_what_find_label_finds(tmp_path: Path) -> None:
    for folder in ("ds/JPEGImages", "ds/SegmentationClass", "s5k/images", "s5k/labels", "s5k/gt", "plain"):
        (tmp_path / folder).mkdir(parents=True)
    for name in ("ds/JPEGImages/a.jpg", "ds/JPEGImages/b.jpg", "ds/SegmentationClass/a.bmp",
                 "ds/SegmentationClass/a.png", "s5k/images/c.x.jpg", "s5k/images/d.jpg", "s5k/gt/c.x.png",
                 "s5k/labels/d.tif", "s5k/gt/d.png", "plain/e.jpg"):
        (tmp_path / name).touch()
    (tmp_path / "ds/SegmentationClass/b.png").mkdir()  # a folder is no label
    finder = LabelFinder()
    images = [*sorted((tmp_path / "ds/JPEGImages").iterdir()), *sorted((tmp_path / "s5k/images").iterdir()),
              tmp_path / "plain/e.jpg", tmp_path / "ds/JPEGImages/missing.jpg"]
    assert [finder(p) for p in images] == [find_label(p) for p in images]
    assert [finder(p) for p in images][:4] == [tmp_path / "ds/SegmentationClass/a.png", None,
                                               tmp_path / "s5k/gt/c.x.png", tmp_path / "s5k/labels/d.tif"]


def test_take_looks_each_label_up_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "JPEGImages").mkdir()
    (tmp_path / "SegmentationClass").mkdir()
    paths = [tmp_path / "JPEGImages" / f"{i}.jpg" for i in range(4)]
    for p in paths[:2]:
        p.touch()
        (tmp_path / "SegmentationClass" / f"{p.stem}.png").touch()
    truth = ProjectTruth.take(paths, None)
    looked: list[object] = []
    monkeypatch.setattr(compare_truth, "find_label", lambda p: looked.append(p))
    assert truth.counted == 2
    assert truth_counts_text(paths, truth) == "ground truth: 2 dataset labels"
    assert [truth.has_truth(p) for p in paths] == [True, True, False, False]
    assert ground_truth(paths[3], (4, 4), truth).label is None
    assert looked == []  # all from the pass: before, find_label again for each path, each time
