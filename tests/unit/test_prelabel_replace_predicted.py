"""Pre-label after a retrain: ``replace_predicted`` (``fosp project prelabel --replace-predicted``, the app's
"Also replace masks that only a model made") replaces the masks only a model made (status predicted) with
the new model's, and never an edited, reviewed or imported mask, nor one a recovery log holds a person's
commits over. Without it, "nothing to pre-label" says how many model-only masks there are and how to
replace them. Real photos (the bundled demo's, linked), one of each kind of mask."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.import_loop import IMPORTED_KEY
from fosp_core.annotation.prelabel import MODEL_KEY, ModelStamp, prelabel, prelabel_counts, prelabel_todo
from fosp_core.annotation.project import Project
from fosp_core.io.images import read_image
from tests.demo_photos import demo_photo_links

OLD = ModelStamp("0123456789abcdef", 0.15, 0.5, "plain")
NEW = ModelStamp("fedcba9876543210", 0.15, 0.5, "plain")
KINDS = ("predicted", "edited", "reviewed", "imported", "accepted_import", "logged", "predicted2", "none")


def _right(rgb: np.ndarray) -> np.ndarray:
    """The older model: smoke in the right half."""
    prob = np.zeros(rgb.shape[:2], np.float32)
    prob[:, rgb.shape[1] // 2:] = 0.9
    return prob


def _left(rgb: np.ndarray) -> np.ndarray:
    """The retrained model: smoke in the left half."""
    return _right(rgb)[:, ::-1].copy()


def _project(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A project of one image per kind of mask (`KINDS`); kind -> image id."""
    images, location, gt = tmp_path / "photos", tmp_path / "project", tmp_path / "gt"
    demo_photo_links(images, len(KINDS), gt)
    with Project.open(images, location) as project:
        ids = dict(zip(KINDS, project.ids, strict=True))
        shape = read_image(project.image_path(ids["edited"])).rgb.shape[:2]
        asked: list[int] = []  # the older model's masks (Pre-label All), all but the last image's
        prelabel(project, _right, OLD, cancelled=lambda: len(asked.append(1) or asked) == len(KINDS))
        assert [project.entry(ids[kind]).status for kind in KINDS] == [Status.PREDICTED] * 7 + [Status.UNLABELED]
        # give the others their own kind of mask
        project.save_mask(ids["edited"], np.ones(shape, np.uint8), Status.EDITED)
        project.save_mask(ids["reviewed"], np.ones(shape, np.uint8), Status.REVIEWED)
        for other in gt.iterdir():  # labels for these two only
            if other.stem not in (ids["imported"], ids["accepted_import"]):
                other.unlink()
        report = project.import_labels(gt, overwrite=True)
        assert sorted(report.imported) == sorted([ids["imported"], ids["accepted_import"]])
        project.save_mask(ids["accepted_import"], np.zeros(shape, np.uint8), Status.PREDICTED)  # accepted since
    return images, location, ids


def test_only_model_made_masks_are_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    images, location, ids = _project(tmp_path)
    with Project.open(images, location) as project:
        statuses = {kind: project.entry(ids[kind]).status for kind in KINDS}
        assert statuses == {"none": Status.UNLABELED, "predicted": Status.PREDICTED, "edited": Status.EDITED,
                            "reviewed": Status.REVIEWED, "imported": Status.EDITED,
                            "accepted_import": Status.PREDICTED, "logged": Status.PREDICTED,
                            "predicted2": Status.PREDICTED}
        assert IMPORTED_KEY in project.entry(ids["accepted_import"]).extra
        logged = ids["logged"]
        real = project.log_applies
        monkeypatch.setattr(project, "log_applies", lambda i: i == logged or real(i))  # a person's commits
        counts = prelabel_counts(project)
        assert (counts.new, counts.predicted, counts.total) == (1, 2, len(KINDS))
        assert [e.id for e in prelabel_todo(project)] == [ids["none"]]
        want = [ids[k] for k in ("predicted", "predicted2", "none")]  # in the project's order
        assert [e.id for e in prelabel_todo(project, replace_predicted=True)] == want
        before = {k: project.mask_path(ids[k]).read_bytes() for k in KINDS if k != "none"}
        seen: list[tuple[int, int]] = []
        report = prelabel(project, _left, NEW, replace_predicted=True, progress=lambda d, t: seen.append((d, t)))
        assert report.imported == want and report.replaced == want[:2] and report.new == 1
        assert report.skipped_masked == len(KINDS) - 3 and seen[-1] == (3, 3)
        for kind in ("edited", "reviewed", "imported", "accepted_import", "logged"):
            assert project.mask_path(ids[kind]).read_bytes() == before[kind], kind
        for image_id in want:
            entry = project.entry(image_id)
            mask = project.load_mask(image_id)
            assert entry.status == Status.PREDICTED and mask is not None
            assert mask[:, 0].all() and not mask[:, -1].any()  # the new model's
            assert entry.prediction[MODEL_KEY]["checkpoint"] == NEW.checkpoint
            assert entry.smoke_ratio == pytest.approx(float(np.mean(mask == 1)), abs=1e-3)
    with Project.open(images, location) as project:  # saved with their states
        assert [project.entry(i).prediction[MODEL_KEY]["checkpoint"] for i in want] == [NEW.checkpoint] * 3
        assert project.entry(ids["edited"]).status == Status.EDITED


def test_without_replacing_predicted_masks_stay(tmp_path: Path) -> None:
    images, location, ids = _project(tmp_path)
    with Project.open(images, location) as project:
        before = project.mask_path(ids["predicted"]).read_bytes()
        report = prelabel(project, _left, NEW)
        assert report.imported == [ids["none"]] and report.replaced == [] and report.new == 1
        assert project.mask_path(ids["predicted"]).read_bytes() == before


def test_cli_says_the_option_and_replaces(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from fosp_core.cli import main
    from tests.tiny_checkpoints import save_tiny_checkpoint

    images, location, ids = _project(tmp_path)
    with Project.open(images, location) as project:
        prelabel(project, _right, OLD)  # the one left
        before = {k: project.mask_path(ids[k]).read_bytes() for k in KINDS}
    ckpt = save_tiny_checkpoint(tmp_path / "tiny.safetensors")
    args = ["project", "prelabel", str(location), "--checkpoint", str(ckpt), "--input-size", "64", "--device", "cpu"]
    capsys.readouterr()
    assert main(args) == 3  # nothing to do (session 36: it was 0)
    assert capsys.readouterr().out.strip() == (
        f"nothing to pre-label: all {len(KINDS)} images have a mask already; 4 of them were made by a model only "
        "(status predicted): --replace-predicted replaces those with this model's")
    assert main([*args, "--replace-predicted"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == (
        "pre-labelled 4 images (status predicted): 0 new, 4 replaced; 4 already had a mask and were left alone")
    with Project.open(images, location) as project:
        for kind in ("edited", "reviewed", "imported", "accepted_import"):
            assert project.mask_path(ids[kind]).read_bytes() == before[kind], kind
        replaced = [ids[k] for k in ("none", "predicted", "logged", "predicted2")]
        assert {project.entry(i).prediction[MODEL_KEY]["checkpoint"] for i in replaced} != {OLD.checkpoint}
        assert {project.entry(i).status for i in replaced} == {Status.PREDICTED}


def test_a_second_replacing_run_goes_on_and_leaves_this_models_masks(tmp_path: Path) -> None:
    """A mask this model wrote at these settings is left alone by the next replacing run; another model,
    other settings, or a mask changed since (an Accept Prediction: still predicted) are replaced."""
    images, location, ids = _project(tmp_path)
    with Project.open(images, location) as project:
        first = prelabel(project, _left, NEW, replace_predicted=True)
        assert len(first.replaced) == 3 and first.new == 1
        again = prelabel(project, _left, NEW, replace_predicted=True)
        assert again.imported == [] and again.skipped_masked == len(KINDS)
        changed = ids["predicted"]
        mask = project.load_mask(changed)
        project.save_mask(changed, 1 - mask, Status.PREDICTED)  # accepted from another run since
        assert prelabel(project, _left, NEW, replace_predicted=True).replaced == [changed]
    with Project.open(images, location) as project:  # the marks are saved
        assert prelabel(project, _left, NEW, replace_predicted=True).imported == []
        other = ModelStamp(NEW.checkpoint, NEW.tau, 0.6, NEW.keep)
        assert len(prelabel(project, _left, other, replace_predicted=True).replaced) == 4
