"""Worklist filter/sort/next and the SmokeSeg export round trip."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation import tools
from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ImageEntry
from fosp_core.annotation.export import NO_MASK, export_smokeseg, plan_splits, split_counts
from fosp_core.annotation.project import ProjectError
from fosp_core.annotation.worklist import (
    filter_entries,
    next_unreviewed,
    prediction_summary,
    sort_entries,
    status_counts,
)
from fosp_core.data.datasets import open_dataset
from fosp_core.video.splits import plan_video_splits
from tests.unit.labelled_demo import labelled_demo_project


def _entry(i: str, status: str, unc: float | None = None, size: float | None = None, err: float | None = None):
    pred = None if unc is None else {"uncertainty": unc, "smoke_ratio": 0.0, "error_vs_label": err}
    return ImageEntry(i, f"{i}.jpg", Status(status), smoke_ratio=size, prediction=pred)


ENTRIES = [
    _entry("a", "reviewed", 0.01, 0.5, 0.1),
    _entry("b", "predicted", 0.20, 0.01, 0.9),
    _entry("c", "unlabeled"),
    _entry("d", "edited", 0.05, 0.2, None),
]


def test_filter_and_sort():
    assert [e.id for e in filter_entries(ENTRIES, ["predicted", Status.EDITED])] == ["b", "d"]
    assert [e.id for e in sort_entries(ENTRIES, "uncertainty")] == ["b", "d", "a", "c"]
    assert [e.id for e in sort_entries(ENTRIES, "uncertainty", descending=False)] == ["a", "d", "b", "c"]
    assert [e.id for e in sort_entries(ENTRIES, "smoke_size")] == ["a", "d", "b", "c"]
    assert [e.id for e in sort_entries(ENTRIES, "error")] == ["b", "a", "c", "d"]
    with pytest.raises(ValueError):
        sort_entries(ENTRIES, "colour")


def test_status_counts():
    counts = status_counts(ENTRIES)
    assert counts == {Status.UNLABELED: 1, Status.PREDICTED: 1, Status.EDITED: 1, Status.REVIEWED: 1}
    assert status_counts(ENTRIES, {"c": Status.EDITED})[Status.EDITED] == 2  # the live document wins
    assert status_counts([]) == dict.fromkeys(Status, 0)


def test_next_and_previous_unreviewed():
    assert next_unreviewed(ENTRIES, "a") == "b"
    assert next_unreviewed(ENTRIES, "d") == "b"  # wraps past the reviewed "a"
    assert next_unreviewed(ENTRIES, "b", step=-1) == "d"
    assert next_unreviewed(ENTRIES, None) == "b"
    assert next_unreviewed([ENTRIES[0]], "a") is None


def test_next_unreviewed_among_the_shown_statuses():
    """The worklist's filter is the queue: with "Show: Edited", N goes to the next edited image
    after the current one (which may have just left the filter, marked reviewed)."""
    order = [_entry("a", "edited"), _entry("b", "reviewed"), _entry("c", "unlabeled"), _entry("d", "edited"),
             _entry("e", "predicted")]
    assert next_unreviewed(order, "b", statuses=[Status.EDITED]) == "d"
    assert next_unreviewed(order, "d", statuses=[Status.EDITED]) == "a"
    assert next_unreviewed(order, "b", step=-1, statuses=["edited"]) == "a"
    assert next_unreviewed(order, "a", statuses=[Status.EDITED, Status.PREDICTED]) == "d"
    assert next_unreviewed(order, "d", statuses=[Status.EDITED, Status.REVIEWED]) == "a"  # never a reviewed one
    assert next_unreviewed(order, "a", statuses=[Status.REVIEWED]) is None
    assert next_unreviewed(order, "a", statuses=None) == "c"


def test_prediction_summary_numbers():
    p = np.array([[0.5, 0.5], [0.0, 1.0]], np.float32)
    label = np.array([[1, 255], [0, 0]], np.uint8)
    s = prediction_summary(p, 0.4, label)
    assert s["uncertainty"] == pytest.approx(0.125)
    assert s["uncertain_share"] == pytest.approx(0.5)
    assert s["smoke_ratio"] == pytest.approx(0.75)
    assert s["error_vs_label"] == pytest.approx(0.5)  # union {(0,0),(1,1)}, intersection {(0,0)}


def test_plan_splits_ratios_are_seeded():
    entries = [_entry(f"x{i:02d}", "edited") for i in range(20)]
    a = plan_splits(entries, (0.8, 0.1, 0.1), seed=1)
    assert {k: len(v) for k, v in a.items()} == {"train": 16, "val": 2, "test": 2}
    assert a == plan_splits(entries, (8, 1, 1), seed=1)
    assert a != plan_splits(entries, (0.8, 0.1, 0.1), seed=2)
    assert sorted(sum(a.values(), [])) == [e.id for e in entries]
    assert plan_splits(entries, None) == {"train": [e.id for e in entries]}


project = labelled_demo_project  # the shared fixture, under the name these tests use


def test_export_round_trip(project, tmp_path):
    first, second = project.ids[:2]
    doc = project.open_document(first)
    tools.polygon_fill(doc, [(0, 0), (99, 0), (99, 49), (0, 49)], 255)
    doc.set_status(Status.REVIEWED)
    project.set_status(second, Status.REVIEWED)
    report = export_smokeseg(project, tmp_path / "out", reviewed_only=True)
    assert report.splits == {"train": [], "val": [first, second]} and report.count == 2  # train.txt written, empty
    ds = open_dataset(tmp_path / "out", "val")
    assert ds.ids == [first, second]
    sample = ds.get(first)
    np.testing.assert_array_equal(sample.mask, doc.mask)
    assert (sample.mask[:50, :100] == 255).all()
    src = project.image_path(first).read_bytes()
    assert (tmp_path / "out" / "JPEGImages" / f"{first}.jpg").read_bytes() == src  # copied, not re-encoded

    report = export_smokeseg(project, tmp_path / "out", splits=(2, 1, 1), seed=0, resize_to=256, overwrite=True)
    assert report.count == 4 and set(report.splits) == {"train", "val", "test"}
    for name in ("train", "val", "test", "test_small", "test_medium", "test_large"):
        assert (tmp_path / "out" / "ImageSets" / "Segmentation" / f"{name}.txt").is_file()
    resized = open_dataset(tmp_path / "out")
    assert len(resized) == 4 and resized[0].image.shape == (256, 256, 3) and resized[0].mask.shape == (256, 256)
    assert set(np.unique(resized.get(first).mask)) <= {0, 1, 255}


def test_export_refuses_bad_destinations(project, tmp_path):
    with pytest.raises(ProjectError, match="holds the project's own files"):
        export_smokeseg(project, project.images_root, overwrite=True)
    with pytest.raises(ProjectError, match="nothing to export"):
        export_smokeseg(project, tmp_path / "none", reviewed_only=True)
    assert not Path(tmp_path / "none").exists()



def test_export_report_tells_images_without_a_mask_from_problems(project, tmp_path):
    """The Export dialog's summary counted the images left out without a mask by matching the
    literal reason text; the report now says which those are (`NO_MASK`) and which had a problem."""
    unlabeled, broken = project.ids[:2]
    project.set_status(unlabeled, Status.UNLABELED)
    project.mask_path(broken).write_bytes(b"not a png")
    report = export_smokeseg(project, tmp_path / "out")
    assert report.count == 2 and report.without_mask == [unlabeled]
    assert (unlabeled, NO_MASK) in report.skipped
    assert [image_id for image_id, _ in report.problems] == [broken]
    assert report.problems[0][1].startswith("unreadable mask")

@pytest.mark.parametrize(("n", "ratios", "sizes"), [
    (5, (0.8, 0.1, 0.1), {"train": 3, "val": 1, "test": 1}),  # 0.5 rounded to 0: no val, no test
    (4, (0.8, 0.1, 0.1), {"train": 2, "val": 1, "test": 1}),
    (2, (0.8, 0.1, 0.1), {"train": 1, "val": 1}),  # train keeps one; val before test
    (1, (0.8, 0.1, 0.1), {"train": 1}),
    (5, (0.8, 0.2, 0.0), {"train": 4, "val": 1}),  # a zero ratio stays empty
    (20, (0.8, 0.1, 0.1), {"train": 16, "val": 2, "test": 2}),
    (2, (1, 3, 3), {"train": 1, "val": 1}),  # train's ratio is positive: it keeps one (it had none)
    (1, (0, 0.5, 0.5), {"train": 0, "val": 1}),  # no train asked for: val next (it went to train)
    (5, (0.05, 0.05, 0.5), {"train": 1, "val": 1, "test": 3}),  # val before test (val had none)
])
def test_plan_splits_gives_each_asked_split_an_image(n: int, ratios: tuple[float, ...], sizes: dict) -> None:
    """A folder of five photos exported 0.8 / 0.1 / 0.1 put all five in train (5 x 0.1 rounds to 0):
    a fine-tune on it had no validation. A split with a positive ratio gets at least one image while
    train keeps one."""
    entries = [_entry(f"x{i:02d}", "edited") for i in range(n)]
    out = plan_splits(entries, ratios, seed=0)
    assert {k: len(v) for k, v in out.items()} == sizes
    assert sorted(sum(out.values(), [])) == [e.id for e in entries]


@pytest.mark.parametrize("ratios", [(1.0,), (1, 1, 1, 1), (-1, 1), (0, 0), (float("nan"), 1), (1, float("inf"))],
                         ids=["one", "four", "negative", "zero-sum", "nan", "inf"])
def test_image_and_video_exports_refuse_the_same_ratios_alike(ratios: tuple[float, ...]) -> None:
    """One rule for both exports' split ratios (`check_ratios`). A NaN or infinite ratio passed the
    image export's own check and failed later as 'cannot convert float NaN to integer'."""
    entries = [_entry(f"x{i:02d}", "edited") for i in range(6)]
    message = r"split ratios must be 2 or 3 non-negative numbers \(train, val\[, test\]\), got"
    with pytest.raises(ValueError, match=message):
        plan_splits(entries, ratios)
    with pytest.raises(ValueError, match=message):
        plan_video_splits(range(6), ratios)


@pytest.mark.parametrize("n", [1, 2, 3, 5, 7, 20])
@pytest.mark.parametrize("ratios", [(0.8, 0.1, 0.1), (0.8, 0.2), (2, 1, 1), (1, 3, 3), (0.8, 0.2, 0.0),
                                    (0, 0.5, 0.5), (0.05, 0.05, 0.5)])
def test_image_and_video_exports_size_their_splits_alike(n: int, ratios: tuple[float, ...]) -> None:
    entries = [_entry(f"x{i:02d}", "edited") for i in range(n)]
    images = {k: len(v) for k, v in plan_splits(entries, ratios).items()}
    frames = {k: len(v) for k, v in plan_video_splits(range(n), ratios, gap_s=0).splits.items()}
    assert images == frames


def test_split_counts_give_every_split_asked_for_an_item_train_first() -> None:
    """With 2 images at 1 / 3 / 3 train got none although its ratio is positive (val and test rounded to
    one each); 1 image at 0 / 0.5 / 0.5 went to train, whose ratio is 0. The rule: sizes rounded, and
    while there are items each split with a positive ratio gets at least one, train first, then val,
    then test; a split with ratio 0 gets none; the first split asked for takes the rest."""
    grid = (0, 0.05, 0.1, 0.3, 0.5, 1, 3)
    for n in range(0, 9):
        for ratios in itertools.product(grid, repeat=3):
            if sum(ratios) <= 0:
                continue
            counts = split_counts(n, ratios)
            asked = [k for k, r in enumerate(ratios) if r > 0]
            assert sum(counts) == n and min(counts) >= 0, (n, ratios, counts)
            assert all(counts[k] == 0 for k in range(3) if k not in asked), (n, ratios, counts)
            assert all(counts[k] >= 1 for k in asked[:n]), (n, ratios, counts)
