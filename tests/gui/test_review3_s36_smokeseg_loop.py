"""The model-assisted loop on the real SmokeSeg samples, app and command line side by side (R3 review, session 36):
open a writable copy in the window, Annotate ▸ Pre-label All… (the tiny seeded model, so it takes seconds),
correct and review some masks, Annotate ▸ Export to SmokeSeg…: the counts the dialog plans before the export,
those its summary says after, the split lists it writes and what ``fosp project export`` prints for the same
project and options are one and the same (`fosp_core.annotation.export_tally`). Then a second Pre-label All with
--replace-predicted semantics leaves every corrected mask as it was."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from app.annotation import prelabel_runs
from app.annotation.prelabel_question import Choice
from fosp_core.annotation.document import Status
from tests.gui.annotation_helpers import open_and_wait
from tests.gui.smokeseg_copy import writable_smokeseg
from tests.gui.tiny_model import INPUT, WAIT_MS, save_tiny_checkpoint


def _split_lists(dst: Path) -> dict[str, int]:
    lists = dst / "ImageSets" / "Segmentation"
    return {n: len((lists / f"{n}.txt").read_text().split()) for n in ("train", "val", "test")
            if (lists / f"{n}.txt").is_file()}


def test_prelabel_correct_export_and_the_cli_agree(qtbot, make_window, shared_data: Path, tmp_path: Path,  # noqa: ANN001
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    dataset = writable_smokeseg(shared_data, tmp_path, monkeypatch)
    model = save_tiny_checkpoint(tmp_path / "models" / "lab.safetensors")
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    ctl = window.analysis
    ctl.worker.set_input_size(INPUT)
    with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):
        ctl.settings.set_checkpoint(model)
    open_and_wait(qtbot, window, dataset)
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.project is not None, timeout=WAIT_MS)
    project = controller.project

    # Pre-label All: every image without a mask gets the model's (status predicted)
    monkeypatch.setattr(prelabel_runs, "ask_prelabel", lambda *_args: Choice(True, False))
    window.annotation.actions.prelabel_all.trigger()
    qtbot.waitUntil(lambda: window.prelabel.dialog is not None, timeout=WAIT_MS)
    result = window.prelabel.wait()
    assert result is not None and len(result.imported) == len(project.entries), result
    assert all(e.status == Status.PREDICTED for e in project.entries)

    # correct three masks (edited) and review two more, as a user would, through the project
    corrected = {}
    for k, entry in enumerate(project.entries[:5]):
        mask = np.zeros(tuple(entry.size), np.uint8)
        mask[10:60, 20:90 + k] = 1
        project.save_mask(entry.id, mask, "edited" if k < 3 else "reviewed")
        corrected[entry.id] = (mask, "edited" if k < 3 else "reviewed")

    # Export: the dialog's planned counts, then its summary, then the files written
    window.annotation.actions.export.trigger()
    dialog = window.annotation.export_dialog
    assert dialog is not None and dialog.isVisible()
    app_dst = tmp_path / "app-export"
    dialog.dst.setText(str(app_dst))
    planned = dialog.split_tally.text()
    with qtbot.waitSignal(dialog.exported, timeout=WAIT_MS) as exported:
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    report = exported.args[0]
    written = _split_lists(app_dst)
    assert sum(written.values()) == report.count == len(project.entries)
    predicted = len(project.entries) - 5
    assert len(report.model_made) == predicted

    from fosp_core.annotation.export_tally import exported_tally, tally_words

    after = tally_words(exported_tally(report))
    for name, count in written.items():
        assert re.search(rf"\b{name} {count}\b", after), (name, count, after)
        assert re.search(rf"\b{name} {count}\b", planned), (name, count, planned)  # planned = written
    assert "a model's, not reviewed" in planned and "a model's, not reviewed" in after

    # the command line on the same project, with the dialog's options, prints the same counts
    from fosp_core.cli import main

    args = ["project", "export", str(project.folder), str(tmp_path / "cli-export"), "--seed", str(dialog.seed.value())]
    if dialog.keep_splits.isChecked():
        args.append("--keep-splits")
    else:
        args += ["--split", f"{dialog.train.value():g},{dialog.val.value():g},{dialog.test.value():g}"]
    capsys.readouterr()
    code = main(args)
    out = capsys.readouterr()
    assert code == 0, out
    assert f"({after}" in out.out, (after, out.out)
    assert _split_lists(tmp_path / "cli-export") == written

    # another model (the fine-tuned one, say), Pre-label All replacing the model's masks: the corrected ones are
    # left as they were, the model's own replaced
    other = save_tiny_checkpoint(tmp_path / "models" / "tuned.safetensors", seed=1)
    with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):
        ctl.settings.set_checkpoint(other)
    monkeypatch.setattr(prelabel_runs, "ask_prelabel", lambda *_args: Choice(True, True))
    first = window.prelabel.dialog
    window.annotation.actions.prelabel_all.trigger()
    qtbot.waitUntil(lambda: window.prelabel.dialog is not None and window.prelabel.dialog is not first,
                    timeout=WAIT_MS)
    again = window.prelabel.wait()
    assert again is not None and len(again.imported) == predicted, again
    for image_id, (mask, status) in corrected.items():
        entry = next(e for e in project.entries if e.id == image_id)
        assert entry.status.value == status, (image_id, entry.status)
        np.testing.assert_array_equal(project.load_mask(image_id), mask)
