"""Compare Two Checkpoints takes an annotation project's masks as ground truth where no dataset label
exists (`fosp_core.analysis.compare_truth`): reviewed and edited masks count, a predicted mask (a
model's output nobody touched) never does, a dataset label beside the image wins, and a mask of
another size than its image leaves the image out, named. Real demo photos, masks drawn here."""

from __future__ import annotations

import shutil
from pathlib import Path

import cv2
import numpy as np

from fosp_core.analysis.compare import compare_images, rows_to_csv, summarize, truth_sources_line
from fosp_core.analysis.compare_truth import ProjectTruth, ground_truth, project_lookup, truth_counts_text
from fosp_core.analysis.results import probability_scores
from fosp_core.annotation import tools
from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project


def _red(rgb: np.ndarray) -> np.ndarray:
    """A stand-in model: the red channel as probability."""
    return rgb[..., 0].astype(np.float32) / 255.0


def _dark(rgb: np.ndarray) -> np.ndarray:
    return 1.0 - _red(rgb)


def _photos(demo_dir: Path, folder: Path) -> list[Path]:
    """The demo photos in a plain folder: no dataset label beside them."""
    folder.mkdir()
    for path in sorted((demo_dir / "JPEGImages").glob("*.jpg")):
        shutil.copyfile(path, folder / path.name)
    return sorted(folder.glob("*.jpg"))


def _annotate(photos: Path, location: Path) -> dict[str, str]:
    """Masks for the first three photos: reviewed, edited, predicted (a model's, untouched); the
    fourth has none. Returns {image id: status}."""
    statuses = {}
    with Project.open(photos, location) as project:
        ids = project.ids
        for image_id, status in zip(ids, (Status.REVIEWED, Status.EDITED, Status.PREDICTED), strict=False):
            doc = project.open_document(image_id)
            tools.brush(doc, [(60, 80), (300, 260)], 40)
            doc.set_status(status)
            statuses[image_id] = status.value
        statuses[ids[3]] = Status.UNLABELED.value
        assert {e.id: e.status.value for e in project.entries} == statuses
    return statuses


def test_reviewed_and_edited_masks_are_ground_truth_a_predicted_one_never(demo_dir: Path, tmp_path: Path) -> None:
    paths = _photos(demo_dir, tmp_path / "photos")
    statuses = _annotate(tmp_path / "photos", tmp_path / "project")
    project = Project.open(tmp_path / "photos", tmp_path / "project", create=False)
    try:
        truth = ProjectTruth.take(paths, project_lookup([project]))
        by_id = {p.stem: p for p in paths}
        assert {truth.status_of(p) for p in paths} == {"reviewed", "edited", None}
        predicted = next(by_id[i] for i, s in statuses.items() if s == "predicted")
        assert truth.status_of(predicted) is None
        assert truth.label(predicted) == (None, "")  # its mask exists, but is a model's output
        assert project.load_mask(predicted.stem) is not None
        assert truth_counts_text(paths, truth) == ("ground truth: 1 reviewed and 1 edited masks of project photos"
                                                   "; 1 predicted mask not counted: only reviewed and edited masks are")
        rows = list(compare_images(paths, _red, _dark, truth=lambda p, s: ground_truth(p, s, truth)))
        got = {r.path.stem: (r.truth, r.labelled) for r in rows}
        assert got == {i: ((f"project mask ({s})", True) if s in ("reviewed", "edited") else ("", False))
                       for i, s in statuses.items()}
        reviewed = next(r for r in rows if r.truth == "project mask (reviewed)")
        rgb = cv2.cvtColor(cv2.imread(str(reviewed.path)), cv2.COLOR_BGR2RGB)
        mask = project.load_mask(reviewed.path.stem)
        assert reviewed.scores is not None and reviewed.scores[0] == probability_scores(_red(rgb), mask, 0.5)
        assert summarize(rows).n_labelled == 2
        assert truth_sources_line(rows) == "ground truth: 1 project mask (reviewed), 1 project mask (edited)"
        assert ",project mask (reviewed)," in rows_to_csv(rows)
        only = ProjectTruth.take(paths, project_lookup([project]), reviewed_only=True)
        assert [only.status_of(p) for p in paths].count("reviewed") == 1 and "edited" not in {
            only.status_of(p) for p in paths}
        labelled = list(compare_images(paths, _red, _dark, labelled_only=True,
                                       truth=lambda p, s: ground_truth(p, s, only)))
        assert [r.truth for r in labelled] == ["project mask (reviewed)"]
    finally:
        project.close()


def test_a_dataset_label_wins_over_the_project_mask(demo_dir: Path, tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    shutil.copytree(demo_dir, demo, ignore=shutil.ignore_patterns(".fosp"))
    with Project.open(demo, tmp_path / "project") as project:
        first = project.ids[0]
        doc = project.open_document(first)
        doc.replace_mask(np.ones((doc.height, doc.width), np.uint8))  # all smoke: not the dataset's label
        doc.set_status(Status.REVIEWED)
        truth = ProjectTruth.take([project.image_path(first)], project_lookup([project]))
        path = project.image_path(first)
        found = ground_truth(path, (doc.height, doc.width), truth)
        assert found.source == "dataset label" and not (found.label == 1).all()
        assert truth_counts_text([path], truth) == "ground truth: 1 dataset label"


def test_a_project_mask_of_another_size_leaves_its_image_out_named(demo_dir: Path, tmp_path: Path) -> None:
    paths = _photos(demo_dir, tmp_path / "photos")
    statuses = _annotate(tmp_path / "photos", tmp_path / "project")
    reviewed = next(p for p in paths if statuses[p.stem] == "reviewed")
    image = cv2.imread(str(reviewed))
    cv2.imwrite(str(reviewed), cv2.resize(image, (256, 256)))  # the photo replaced by a smaller one
    project = Project.open(tmp_path / "photos", tmp_path / "project", create=False)
    try:
        truth = ProjectTruth.take(paths, project_lookup([project]))
        rows = list(compare_images(paths, _red, _dark, truth=lambda p, s: ground_truth(p, s, truth)))
        row = next(r for r in rows if r.path == reviewed)
        assert row.error == "its project mask (reviewed) is 512 x 512, the image 256 x 256: left out"
        assert summarize(rows).errors == 1 and summarize(rows).n_labelled == 1  # the edited one
        assert truth_sources_line(rows) == (f"ground truth: 1 project mask (edited); left out (ground truth of "
                                            f"another size): {reviewed.name}")
    finally:
        project.close()
