"""The Export dialog says how many images go to each split before the export, and its summary after, with how many
of each split are a model's masks nobody reviewed (session 36, helper X). A user exporting to retrain saw neither.

The numbers come from the export's own planner (`fosp_core.annotation.export_tally`): what the dialog says before
is what the export writes while nothing unforeseen happens, and what the summary says after is what it wrote,
per split, read back from ``ImageSets/Segmentation/<split>.txt``. Projects made by the tests (small photos)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from app.annotation.export_dialog import ExportDialog
from app.annotation.export_words import export_summary
from fosp_core.annotation.project import Project

TALLY = re.compile(r"\b(train|val|test) (\d+)(?: \((\d+) a model's, not reviewed\))?")
STATUSES = ["predicted"] * 4 + ["edited"] * 5 + ["reviewed"] * 2 + [None]  # one without a mask


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    photos = tmp_path / "photos"
    photos.mkdir()
    rng = np.random.default_rng(7)
    for k in range(len(STATUSES)):  # each photo its own bytes: no exact duplicates
        Image.fromarray(rng.integers(0, 255, (16, 24, 3), np.uint8)).save(photos / f"p{k:02d}.png")
    project = Project.open(photos)
    for image_id, status in zip(project.ids, STATUSES, strict=True):
        if status is not None:
            project.save_mask(image_id, (np.arange(16 * 24).reshape(16, 24) % 2).astype(np.uint8), status)
    yield project
    project.close()


def _tally(text: str) -> dict[str, tuple[int, int]]:
    return {name: (int(n), int(made or 0)) for name, n, made in TALLY.findall(text)}


def _written(dst: Path, project: Project) -> dict[str, tuple[int, int]]:
    """Per split list written: its images and how many of them have status predicted in the project."""
    out = {}
    for name in ("train", "val", "test"):
        listed = dst / "ImageSets" / "Segmentation" / f"{name}.txt"
        if listed.is_file():
            ids = listed.read_text(encoding="utf-8").split()
            out[name] = (len(ids), sum(project.entry(i).status.value == "predicted" for i in ids))
    return out


def _export(qtbot, dialog: ExportDialog):  # noqa: ANN001, ANN202
    with qtbot.waitSignal(dialog.exported, timeout=30000) as blocker:
        dialog.start()
    return blocker.args[0]


@pytest.mark.parametrize("seed", [0, 3])
def test_the_counts_said_before_and_after_are_the_files_written_per_split(qtbot, project: Project,  # noqa: ANN001
                                                                           tmp_path: Path, seed: int) -> None:
    dialog = ExportDialog(project, tmp_path / "out")
    qtbot.addWidget(dialog)
    dialog.ratio_splits.setChecked(True)
    dialog.train.setValue(0.6)
    dialog.val.setValue(0.2)
    dialog.test.setValue(0.2)
    dialog.seed.setValue(seed)
    before = dialog.split_tally.text()
    assert not dialog.split_tally.isHidden() and _tally(before), before
    report = _export(qtbot, dialog)
    written = _written(tmp_path / "out", project)
    assert sum(n for n, _ in written.values()) == 11 and sum(m for _, m in written.values()) == 4, written
    assert _tally(before) == written, (before, written)  # was: no counts before the export
    summary = export_summary(report)
    assert _tally(summary) == written, (summary, written)  # nor after it
    assert summary.startswith(f"Exported 11 images to {tmp_path / 'out'} (train "), summary


def test_the_counts_follow_reviewed_only_and_the_seed(qtbot, project: Project, tmp_path: Path) -> None:  # noqa: ANN001
    dialog = ExportDialog(project, tmp_path / "out")
    qtbot.addWidget(dialog)
    assert dialog.ratio_splits.isChecked()  # a folder of photos: new splits
    shown = {seed: (dialog.seed.setValue(seed), _tally(dialog.split_tally.text()))[1] for seed in range(6)}
    assert len({tuple(sorted(t.items())) for t in shown.values()}) > 1, shown  # the model's masks drawn elsewhere
    assert all(sum(m for _, m in t.values()) == 4 for t in shown.values()), shown
    dialog.reviewed_only.setChecked(True)
    assert sum(n for n, _ in _tally(dialog.split_tally.text()).values()) == 2
    assert "a model's" not in dialog.split_tally.text()


def test_an_image_left_out_for_a_problem_is_not_counted_after(qtbot, project: Project,  # noqa: ANN001
                                                              tmp_path: Path) -> None:
    """The plan counts by status; an unreadable mask is found as the export reads it: the summary counts what
    was written, the files."""
    edited = next(i for i in project.ids if project.entry(i).status.value == "edited")
    project.mask_path(edited).write_bytes(b"\x89PNG damaged")
    dialog = ExportDialog(project, tmp_path / "out")
    qtbot.addWidget(dialog)
    planned = _tally(dialog.split_tally.text())
    report = _export(qtbot, dialog)
    written = _written(tmp_path / "out", project)
    assert sum(n for n, _ in planned.values()) == 11 and sum(n for n, _ in written.values()) == 10
    assert _tally(dialog.error_label.text()) == written == _tally(export_summary(report))
