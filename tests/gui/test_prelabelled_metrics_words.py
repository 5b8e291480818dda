"""Images pre-labelled by ``fosp project prelabel`` (or Pre-label All) have a saved summary with no
folder-metrics scores (`app.annotation.kept_scores`: nothing scored them then). After a reopening, Run
on all leaves them out (their summary is of this model at these settings), so the folder metrics have
no scores of them: the words say so - the panel's line after the plan counts them, the metrics note
says why - for the images that do have a label, instead of 'no labelled results yet' as if they had none.
Real demo photos and their labels (reference labels: the project's masks are the pre-labels), the tiny
model."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.analysis.readouts import UNSCORED_WHY
from tests.gui.annotation_helpers import copy_demo
from tests.gui.project_window import project_window
from tests.gui.run_all_wait import run_all
from tests.gui.tiny_model import INPUT, WAIT_MS, save_tiny_checkpoint


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny-fosp-s.safetensors")


def test_images_prelabelled_with_labels_say_why_the_metrics_have_no_scores_of_them(
        qtbot, make_window, checkpoint, demo_dir, tmp_path) -> None:  # noqa: ANN001
    from fosp_core.cli import main

    demo = copy_demo(demo_dir, tmp_path / "demo")
    window, ctl = project_window(qtbot, make_window, checkpoint, demo, tmp_path)
    location = window.annotation.controller.project.folder
    window.close()
    assert main(["project", "prelabel", str(location), "--checkpoint", str(checkpoint), "--input-size",
                 str(INPUT), "--device", "cpu"]) == 0

    second, ctl2 = project_window(qtbot, make_window, checkpoint, demo, tmp_path)
    qtbot.waitUntil(lambda: not ctl2._runs, timeout=WAIT_MS)  # the image shown may catch up (ran before)
    ran = {p for p in second.session.paths if ctl2.cache.models_for(p)}
    count = len(second.session)
    left_out = count - len(ran)
    assert left_out >= 3
    assert run_all(qtbot, ctl2) is None  # every image not run here left out: its summary is of this model
    panel = ctl2.panel.status_label.text()
    assert panel.startswith(f"Nothing to run: {left_out} images skipped"), panel
    assert f"{left_out} of them are" in panel and "the note under the table says why" in panel, panel
    ctl2.update_metrics()
    note = ctl2.metrics.note.text()
    assert ctl2.scores.table.scored == len(ran)  # the metrics score only the images run in this session
    assert f"{left_out} labelled images" in note and UNSCORED_WHY in note, note  # and say why the rest are not
    assert "Run on All Again" in note

    with qtbot.waitSignal(ctl2.planning.planned, timeout=WAIT_MS):
        second.annotation.actions.run_all_again.trigger()  # runs every image: each scored now
    qtbot.waitUntil(lambda: not ctl2._runs, timeout=WAIT_MS * 3)
    ctl2.update_metrics()
    assert ctl2.scores.table.scored == count
    assert UNSCORED_WHY not in ctl2.metrics.note.text()
