"""`fosp_core.annotation.export_tally`: the images per split (and a model's unreviewed masks among them) planned
before an export are what `export_smokeseg` writes, and what its report says it wrote is the split lists on disk,
for kept source splits and drawn ones, reviewed only or not (session 36, helper X). A project of small photos
made here, no Qt."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.annotation.export import export_smokeseg
from fosp_core.annotation.export_tally import SplitTally, exported_tally, planned_tally, tally_words
from fosp_core.annotation.project import Project

STATUSES = ["predicted", "edited", "reviewed", None, "predicted", "edited", "predicted", "reviewed", "edited",
            "predicted"]
SOURCE = ["train", "val", "", "train", "test", "train", "val", "train", "", "train"]


@pytest.fixture()
def project(tmp_path: Path):  # noqa: ANN201
    photos = tmp_path / "photos"
    photos.mkdir()
    rng = np.random.default_rng(1)
    for k in range(len(STATUSES)):
        Image.fromarray(rng.integers(0, 255, (8, 12, 3), np.uint8)).save(photos / f"im {k}.png")  # a space: ids
    project = Project.open(photos)
    for image_id, status, split in zip(project.ids, STATUSES, SOURCE, strict=True):
        if status is not None:
            project.save_mask(image_id, np.ones((8, 12), np.uint8), status)
        project.entry(image_id).split = split  # as a dataset's lists would give them
    yield project
    project.close()


def _on_disk(dst: Path, report_ids: dict[str, str], project: Project) -> dict[str, SplitTally]:
    out = {}
    for listed in sorted((dst / "ImageSets" / "Segmentation").glob("*.txt")):
        if listed.stem.startswith("test_"):  # the size buckets of test, not a split
            continue
        ids = listed.read_text(encoding="utf-8").split()
        out[listed.stem] = SplitTally(len(ids), sum(project.entry(report_ids[i]).status.value == "predicted"
                                                    for i in ids))
    return out


@pytest.mark.parametrize(("splits", "seed", "reviewed_only"), [
    ("keep", 0, False), ("keep", 0, True), ((0.8, 0.1, 0.1), 0, False), ((0.5, 0.3, 0.2), 4, False),
    ((0.5, 0.5), 9, False), ((0.6, 0.2, 0.2), 2, True), (None, 0, False)])
def test_planned_is_written_and_the_report_is_the_files(project: Project, tmp_path: Path, splits: object, seed: int,
                                                       reviewed_only: bool) -> None:
    planned = planned_tally(project.entries, reviewed_only, splits, seed)  # type: ignore[arg-type]
    dst = tmp_path / "out"
    report = export_smokeseg(project, dst, splits=splits, seed=seed, reviewed_only=reviewed_only)  # type: ignore[arg-type]
    assert set(report.ids.values()) <= set(project.ids) and all(" " not in i for i in report.ids)
    written = exported_tally(report)
    assert written == _on_disk(dst, report.ids, project)
    assert {k: v for k, v in planned.items() if v.images} == {k: v for k, v in written.items() if v.images}
    assert sum(t.model_made for t in written.values()) == len(report.model_made)


def test_words() -> None:
    assert tally_words({"train": SplitTally(8, 3), "val": SplitTally(2), "test": SplitTally(2, 1)}) == (
        "train 8 (3 a model's, not reviewed), val 2, test 2 (1 a model's, not reviewed)")
    assert tally_words({}) == ""
    assert planned_tally([], False, (1.0, -1.0)) == {}  # ratios refused: nothing planned


def test_the_readme_quotes_the_dialogs_words() -> None:
    readme = " ".join((Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8").split())
    words = tally_words({"train": SplitTally(8, 3), "val": SplitTally(2), "test": SplitTally(2)})
    assert f"*Planned: {words}*" in readme
