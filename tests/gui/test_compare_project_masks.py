"""Compare Two Checkpoints on the masks an annotator made: four demo photos in a plain folder (no
dataset label), their project holding a reviewed, an edited and a predicted mask and one image
without, opened in a real window. The dialog says what counts before it runs, scores the reviewed
and edited masks (the table's "ground truth" column, the summary, the CSV), never the predicted one,
narrows to reviewed masks when asked, and reads a mask just edited in the window (its save pending)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest

from app.training.compare_dialog import CompareDialog
from app.training.compare_table import COLUMNS
from fosp_core.annotation import tools
from fosp_core.annotation.document import Status
from tests.gui.conftest import WindowFactory
from tests.gui.tiny_model import INPUT, WAIT_MS, save_tiny_checkpoint
from tests.unit.test_compare_project_truth import _annotate, _photos


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("models")
    return (save_tiny_checkpoint(folder / "a.safetensors", seed=0),
            save_tiny_checkpoint(folder / "b.safetensors", seed=1))


def _shown(dialog: CompareDialog) -> dict[str, tuple[str, str]]:
    """image stem -> (its F_β A cell, its ground truth cell)."""
    fb, gt = COLUMNS.index("F_β A"), COLUMNS.index("ground truth")
    return {dialog.table.path_at(r).stem: (dialog.table.item(r, fb).text(), dialog.table.item(r, gt).text())
            for r in range(dialog.table.rowCount())}


def test_compare_scores_the_reviewed_and_edited_project_masks_never_the_predicted(
        qtbot, make_window: WindowFactory, demo_dir: Path, tiny: tuple[Path, Path], tmp_path: Path) -> None:  # noqa: ANN001
    paths = _photos(demo_dir, tmp_path / "photos")
    window = make_window(default_model=tiny[0])
    registry = window.annotation.controller.registry
    registry.projects_root = tmp_path / "projects"
    statuses = _annotate(tmp_path / "photos", registry._location((tmp_path / "photos").resolve()))
    window.analysis.worker.set_input_size(INPUT)
    window.open_paths(paths, remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None and registry.lookup(paths[0]) is not None,
                    timeout=WAIT_MS)
    dialog: CompareDialog = window.training.open_compare(*tiny)
    status = dialog.status.text()
    assert status.startswith("4 images open, 2 with a ground truth (1 reviewed and 1 edited masks "
                             "of project photos; 1 predicted mask not counted: only reviewed and edited masks "
                             "are). "), status

    with qtbot.waitSignal(dialog.compared, timeout=WAIT_MS):
        assert dialog.start()
    shown = _shown(dialog)
    want = {"reviewed": "project mask (reviewed)", "edited": "project mask (edited)"}
    assert {k: v[1] for k, v in shown.items()} == {i: want.get(s, "–") for i, s in statuses.items()}, shown
    predicted = next(i for i, s in statuses.items() if s == "predicted")
    assert shown[predicted][0] == "–"  # no F_β: its mask is a model's output, not ground truth
    assert all(shown[i][0] != "–" for i, s in statuses.items() if s in want)
    summary = dialog.summary.text()
    assert "Ground truth: 1 project mask (reviewed), 1 project mask (edited)." in summary, summary
    assert "within 0.5 point on" in summary and "of 2 labelled images" in summary, summary
    out = tmp_path / "compare.csv"
    dialog.save_csv(out)
    rows = {Path(r["image"]).stem: r["ground truth"] for r in csv.DictReader(io.StringIO(out.read_text()))}
    assert rows == {i: want.get(s, "") for i, s in statuses.items()}

    dialog.truth_choice.setCurrentIndex(dialog.truth_choice.findData(True))  # reviewed masks only
    assert dialog.status.text().startswith("4 images open, 1 with a ground truth (1 reviewed mask "
                                           "of project photos; 1 edited, 1 predicted masks not counted: only "
                                           "reviewed masks are). "), dialog.status.text()
    with qtbot.waitSignal(dialog.compared, timeout=WAIT_MS):
        assert dialog.start()
    assert sorted(v[1] for v in _shown(dialog).values()) == ["project mask (reviewed)", "–", "–", "–"]
    dialog.truth_choice.setCurrentIndex(dialog.truth_choice.findData(False))

    # the image without a mask, marked reviewed in the window just now: its save may still be pending
    unlabeled = next(p for p in paths if statuses[p.stem] == "unlabeled")
    window.session.set_current(window.session.index_of(unlabeled))
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None and controller.image_path == unlabeled, timeout=WAIT_MS)
    doc = controller.document
    tools.brush(doc, [(100, 100), (200, 200)], 30)
    doc.set_status(Status.REVIEWED)
    dialog.refresh()
    assert dialog.status.text().startswith("4 images open, 3 with a ground truth (2 reviewed and 1 "
                                           "edited masks of project photos; "), dialog.status.text()
    with qtbot.waitSignal(dialog.compared, timeout=WAIT_MS):
        assert dialog.start()
    assert _shown(dialog)[unlabeled.stem][1] == "project mask (reviewed)"
    project, image_id = registry.lookup(unlabeled)
    assert np.array_equal(project.load_mask(image_id), doc.mask)
