"""Import Labels brings people's work (labelme, COCO, CVAT, a dataset's masks): the masks arrive
"edited" (a person made them), so Compare counts them as ground truth and the worklist does not
treat them as a model's output. A mask imported and untouched since is replaced by a second import
of a corrected file; one a person then changed is kept. A model's masks can still come in as
"predicted". Projects imported into by earlier versions (imports "predicted") open as they are and
turn "edited" when imported again. No timings."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from fosp_core.analysis.compare_truth import ProjectTruth
from fosp_core.annotation import import_loop
from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from tests.foreign_files import demo_project, labelme_file

SQUARE = [[10, 10], [60, 10], [60, 60], [10, 60]]
WIDER = [[10, 10], [120, 10], [120, 60], [10, 60]]


def _labelme(folder: Path, stems: list[str], points: list[list[int]]) -> Path:
    folder.mkdir(exist_ok=True)
    for stem in stems:
        labelme_file(folder, stem, [{"label": "smoke", "points": points}])
    return folder


def test_imported_labels_are_edited_and_count_as_ground_truth(demo_dir: Path, tmp_path: Path) -> None:
    project, names = demo_project(demo_dir, tmp_path)
    stems = [Path(n).stem for n in names]
    try:
        report = project.import_labels(_labelme(tmp_path / "labelme", stems[:2], SQUARE))
        assert report.imported == stems[:2]
        assert [project.entry(s).status for s in stems] == [Status.EDITED] * 2 + [Status.UNLABELED] * 2
        truth = ProjectTruth.take([project.image_path(s) for s in stems],
                                  lambda p: (project, p.stem) if p.stem in stems else None)
        assert [truth.status_of(project.image_path(s)) for s in stems[:2]] == ["edited", "edited"]
        mask, source = truth.label(project.image_path(stems[0]))
        assert source == "project mask (edited)" and mask is not None and mask[30, 30] == 1
    finally:
        project.close()
    with Project.open(tmp_path / "images", tmp_path / "project", create=False) as again:  # on disk so
        assert [again.entry(s).status for s in stems[:2]] == [Status.EDITED] * 2
        assert all(import_loop.imported_untouched(again.entry(s)) for s in stems[:2])


def test_a_second_import_replaces_untouched_imports_and_keeps_a_persons_edit(demo_dir: Path, tmp_path: Path) -> None:
    project, names = demo_project(demo_dir, tmp_path)
    stems = [Path(n).stem for n in names[:2]]
    try:
        project.import_labels(_labelme(tmp_path / "first", stems, SQUARE))
        edited = project.load_mask(stems[1])
        edited[100:110, 100:110] = 1  # a person's stroke on the second image
        project.save_mask(stems[1], edited, Status.EDITED)
        assert not import_loop.imported_untouched(project.entry(stems[1]))
        report = project.import_labels(_labelme(tmp_path / "corrected", stems, WIDER))
        assert report.imported == stems[:1]
        assert [i for i, _ in report.kept] == stems[1:]
        assert project.load_mask(stems[0])[30, 100] == 1  # the corrected outline
        assert project.load_mask(stems[1])[30, 100] == 0 and project.load_mask(stems[1])[105, 105] == 1
        project.set_status(stems[0], Status.REVIEWED)
        assert [i for i, _ in project.import_labels(tmp_path / "first").kept] == stems
    finally:
        project.close()


def test_a_models_masks_can_come_in_as_predicted(demo_dir: Path, tmp_path: Path) -> None:
    project, names = demo_project(demo_dir, tmp_path)
    stem = Path(names[0]).stem
    try:
        project.import_labels(_labelme(tmp_path / "labelme", [stem], SQUARE), status=Status.PREDICTED)
        assert project.entry(stem).status == Status.PREDICTED
        assert "imported_at" not in project.entry(stem).extra
    finally:
        project.close()


def test_a_project_imported_into_by_an_earlier_version_opens_as_it_was(demo_dir: Path, tmp_path: Path) -> None:
    project, names = demo_project(demo_dir, tmp_path)
    stem = Path(names[0]).stem
    project.save_mask(stem, np.zeros((512, 512), np.uint8), Status.PREDICTED)  # as an import wrote it before
    project.close()
    state = json.loads((tmp_path / "project" / "project.json").read_text(encoding="utf-8"))
    assert all("imported_at" not in e for e in state["images"])
    with Project.open(tmp_path / "images", tmp_path / "project", create=False) as old:
        assert old.entry(stem).status == Status.PREDICTED
        report = old.import_labels(_labelme(tmp_path / "labelme", [stem], SQUARE))
        assert report.imported == [stem] and old.entry(stem).status == Status.EDITED
