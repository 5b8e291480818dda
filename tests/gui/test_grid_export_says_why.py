"""Export Compare Grid… says why a grid could not be written (task P, session 29's QA sweep): the
user read only "could not write PATH" whether its folder could not be made or the PNG writer refused
the grid (the 1800 x 1 440 000 px grid of a 1x4000 strip, before its panels were capped)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtWidgets import QFileDialog

from app.analysis.grid_export import GridExport
from fosp_core.infer.result import Prediction
from tests.gui.test_analysis_figures_alone import _Grid, _image, _shown, _Window


def _export(tmp_path: Path, writes: bool) -> tuple[GridExport, list[str]]:
    shown = _shown(Prediction(probability=np.zeros((6, 8), np.float32)))
    dock = type("Dock", (), {"isVisible": lambda self: True})()
    reports: list[str] = []
    return GridExport(_Window(_image(tmp_path / "plume.png")), shown, _Grid(writes), dock, reports.append), reports


def test_a_folder_that_cannot_be_made_is_named_with_the_reason(tmp_path, monkeypatch) -> None:
    export, reports = _export(tmp_path, writes=True)
    (tmp_path / "a-file").write_text("not a folder")
    target = tmp_path / "a-file" / "grid.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(target), ""))
    export.dialog()
    assert len(reports) == 1 and reports[0].startswith(f"could not write {target}: "), reports
    assert reports[0] != f"could not write {target}: "


def test_a_grid_the_writer_refuses_says_so(tmp_path, monkeypatch) -> None:
    export, reports = _export(tmp_path, writes=False)
    target = tmp_path / "grid.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(target), ""))
    export.dialog()
    assert reports == [f"could not write {target}: the PNG writer could not save the grid"]
    assert not target.exists()
