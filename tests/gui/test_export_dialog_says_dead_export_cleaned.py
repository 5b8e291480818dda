"""An export killed mid-way leaves its hidden temporary folder beside the destination (a full copy of the
images written so far); the next export to the same place removes it once its writer is gone
(`fosp_core.data.smokeseg_debris`) and logs a warning, which ``fosp project export`` prints on stderr. The
app sets up no logging: its Export dialog said nothing of the space it freed or of the dead export. The
export's report now lists what it removed (`ExportReport.cleaned`: the folder and the bytes it held), and the
dialog stays open with it said, as does the status bar's line."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from app.annotation.export_dialog import export_summary
from fosp_core.annotation.document import Status
from fosp_core.annotation.export import ExportReport
from fosp_core.data.smokeseg_debris import DeadExport
from tests.gui.annotation_helpers import demo_window
from tests.unit.test_export_report_cleaned import dead_export_beside

pytestmark = pytest.mark.skipif(os.name != "posix", reason="a writer's liveness is read from its pid on POSIX")

def test_the_dialog_says_what_the_export_cleaned(qtbot, make_window, demo_dir: Path,  # noqa: ANN001
                                                 tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    project = window.annotation.controller.project
    mask = np.zeros(project.entries[0].size, np.uint8)
    mask[100:200, 100:300] = 1
    project.save_mask(project.ids[0], mask, Status.EDITED)  # one image to export
    dialog = window.annotation.open_export_dialog()
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.probing)
    dst = tmp_path / "out"
    debris = dead_export_beside(dst, 120_400_000)
    dialog.dst.setText(str(dst))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.report is not None or dialog.error is not None, timeout=20000)
    assert dialog.error is None
    report = dialog.report
    assert not debris.exists() and report.cleaned == [DeadExport(debris, 120_400_000)]
    said = f"removed a dead export's unfinished copy beside it: {debris.name}, 120.4 MB"
    assert said in export_summary(report) and said in window.statusBar().currentMessage()
    # said where the user looks: the dialog stays open with it (it closed at once: nothing said)
    assert dialog.isVisible() and dialog.result_label.isVisibleTo(dialog)
    assert said in dialog.result_label.text()
    assert dialog.buttons.button(dialog.buttons.StandardButton.Cancel).text() == "Close"
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    dialog.reject()


def test_the_summary_counts_several_dead_exports(tmp_path: Path) -> None:
    dead = [DeadExport(tmp_path / ".out.tmp-h.1.aa", 2_000_000), DeadExport(tmp_path / ".out.tmp-h.2.bb", 999)]
    report = ExportReport(tmp_path / "out", {"train": ["a"]}, cleaned=dead)
    assert export_summary(report) == (f"Exported 1 image to {tmp_path / 'out'} (train 1); removed 2 dead exports' unfinished "
                                      "copies beside it: .out.tmp-h.1.aa, 2.0 MB; .out.tmp-h.2.bb, 999 bytes")
