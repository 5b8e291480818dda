"""Project-side checks for defects found while annotating in the app (see tests/gui/annotation_qa/)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project, ProjectError


def test_prediction_summary_on_a_sampled_grid_matches_the_full_one(demo_dir: Path, tmp_path: Path) -> None:
    """The app summarises big maps on every n-th row and column (GUI thread): the numbers stay close,
    the error against the label is kept, and neither the mask nor the status change."""
    shutil.copytree(demo_dir, tmp_path / "demo", ignore=shutil.ignore_patterns(".fosp"))
    with Project.open(tmp_path / "demo", tmp_path / "project") as project:
        image_id = project.ids[0]
        label = project.load_label(image_id)
        rng = np.random.default_rng(0)
        prob = np.clip((label == 1) * 0.8 + rng.random(label.shape) * 0.3, 0, 1).astype(np.float32)
        full = project.set_prediction(image_id, prob, 0.5, store_map=False, as_mask_if_unlabeled=False)
        sampled = project.set_prediction(image_id, prob, 0.5, store_map=False, as_mask_if_unlabeled=False,
                                         sample_step=3)
        for name in ("uncertainty", "uncertain_share", "smoke_ratio", "error_vs_label"):
            assert sampled[name] == pytest.approx(full[name], abs=0.01), name
        assert project.entry(image_id).prediction == sampled
        assert project.entry(image_id).status == Status.UNLABELED and project.load_mask(image_id) is None


@pytest.mark.parametrize("start", [Status.UNLABELED, Status.PREDICTED, Status.EDITED, Status.REVIEWED])
def test_accept_prediction_leaves_the_image_predicted_and_undo_restores_the_status(start: Status) -> None:
    """Status PREDICTED means "the mask comes from the model, nobody edited it" - exactly what Accept
    Prediction leaves. It was counted as a person's edit (EDITED), so the worklist's Predicted filter
    missed every accepted, unchecked image."""
    from fosp_core.annotation import cleanup, tools
    from fosp_core.annotation.document import AnnotationDocument

    prob = np.zeros((64, 64), np.float32)
    prob[10:30, 10:40] = 0.9
    doc = AnnotationDocument((64, 64), probability=prob, status=start)
    assert cleanup.accept_prediction(doc, 0.5)
    assert doc.status == Status.PREDICTED and doc.history.labels() == ["accept prediction"]
    tools.brush(doc, [(50, 50)], 2)  # a person's correction afterwards is an edit
    assert doc.status == Status.EDITED
    doc.undo()
    assert doc.status == Status.PREDICTED
    doc.undo()
    assert doc.status == start and not doc.mask.any()
    # no smoke above 0.95: the mask stays empty; an unlabeled image is now labelled smoke-free
    # (see test_accepting_an_all_background_prediction_labels_the_image), the others keep their status
    assert cleanup.accept_prediction(doc, 0.95) == (start == Status.UNLABELED)
    assert doc.status == (Status.PREDICTED if start == Status.UNLABELED else start)


def test_accepting_an_all_background_prediction_labels_the_image(demo_dir: Path, tmp_path: Path) -> None:
    """The model saw no smoke and the annotator accepted that (Shift+A): it said "nothing to change",
    the image stayed unlabeled and the export left it out ("no mask yet"), so the smoke-free images
    an annotator had accepted vanished from the dataset. Accepting records the empty mask with status
    PREDICTED as one undo step (undo makes the image unlabeled again)."""
    from fosp_core.annotation import cleanup
    from fosp_core.annotation.export import export_smokeseg

    shutil.copytree(demo_dir, tmp_path / "demo", ignore=shutil.ignore_patterns(".fosp"))
    with Project.open(tmp_path / "demo", tmp_path / "project") as project:
        image_id = project.ids[0]
        doc = project.open_document(image_id)
        assert doc.status == Status.UNLABELED and not doc.mask.any()
        doc.set_probability(np.full(doc.shape, 0.1, np.float32))  # no smoke anywhere
        assert cleanup.accept_prediction(doc, 0.5)
        assert doc.status == Status.PREDICTED and doc.history.labels() == ["accept prediction"]
        assert project.is_saved(doc) and project.entry(image_id).status == Status.PREDICTED
        saved = project.load_mask(image_id)
        assert saved is not None and saved.shape == doc.shape and not saved.any()
        assert project.entry(image_id).smoke_ratio == 0.0
        report = export_smokeseg(project, tmp_path / "out")
        assert [image_id] == [i for ids in report.splits.values() for i in ids]
        assert not cleanup.accept_prediction(doc, 0.5)  # accepted already: nothing more to record
        assert doc.history.labels() == ["accept prediction"]

        assert doc.undo() and doc.status == Status.UNLABELED
        assert project.entry(image_id).status == Status.UNLABELED
        with pytest.raises(ProjectError, match="nothing to export"):
            export_smokeseg(project, tmp_path / "out2")
    with Project.open(tmp_path / "demo", tmp_path / "project") as project:  # what was saved, reopened
        assert project.entry(image_id).status == Status.UNLABELED


def _photos(demo_dir: Path, folder: Path) -> Path:
    shutil.copytree(demo_dir / "JPEGImages", folder)
    return folder


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_a_read_only_folder_gets_its_project_in_the_cache(demo_dir: Path, tmp_path: Path, monkeypatch) -> None:
    """The project's location was chosen with os.access, which always passes for root: a shared folder
    nobody may write (r-x for everyone, like ../shared/data) got a .fosp folder written into it when
    the app ran as root. Its project now goes to the user cache, as for any unwritable folder."""
    from fosp_core.annotation.project import default_location

    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    writable = _photos(demo_dir, tmp_path / "mine")
    assert default_location(writable) == writable / ".fosp"
    shared = _photos(demo_dir, tmp_path / "shared")
    shared.chmod(0o555)
    try:
        assert tmp_path / "cache" / "projects" in default_location(shared).parents
        with Project.open(shared) as project:
            assert not project.read_only and tmp_path / "cache" in project.folder.parents
        assert not (shared / ".fosp").exists()
    finally:
        shared.chmod(0o755)


@pytest.mark.skipif(not hasattr(os, "statvfs"), reason="no statvfs")
def test_a_folder_on_a_read_only_mount_gets_its_project_in_the_cache(demo_dir: Path, tmp_path: Path,
                                                                      monkeypatch) -> None:
    """A folder with write bits on a file system mounted read-only (ST_RDONLY) is not written either."""
    from types import SimpleNamespace

    from fosp_core.annotation import project as project_module

    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    photos = _photos(demo_dir, tmp_path / "mounted")
    real = os.statvfs
    monkeypatch.setattr(project_module.os, "statvfs",
                        lambda path: SimpleNamespace(f_flag=real(path).f_flag | os.ST_RDONLY))
    assert tmp_path / "cache" / "projects" in project_module.default_location(photos).parents
    (photos / ".fosp").mkdir()  # a project made there before (e.g. before the mount became read-only)
    assert project_module.default_location(photos) == photos / ".fosp"  # is still found
