"""Analysis ▸ Export View… wrote PNG data whatever the name: view.jpg held a PNG (a viewer or a journal's
upload that trusts the suffix refuses it), view.tif too, and a suffix no writer knows was written all the
same. The compare grid and --screenshot had been fixed so; the view now does as they do: the format its
suffix names (no suffix: PNG), and a suffix no writer knows is refused, saying which ones are known."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtWidgets import QFileDialog

from app.analysis.grid_export import ViewExport
from fosp_core.analysis.layers import LayerStack
from fosp_core.infer.result import Prediction
from tests.gui.test_analysis_figures_alone import _image, _shown, _Window


def _export(tmp_path: Path) -> tuple[ViewExport, list[str]]:
    probability = np.zeros((6, 8), np.float32)
    probability[2:4, 2:5] = 0.9
    shown = _shown(Prediction(probability=probability), arrays={"probability": probability})
    reports: list[str] = []
    return ViewExport(_Window(_image(tmp_path / "plume.png")), shown, LayerStack(), reports.append), reports


@pytest.mark.parametrize(("name", "kind"), [("view.jpg", "JPEG"), ("view.JPEG", "JPEG"), ("view.png", "PNG"),
                                            ("view", "PNG"), ("view.tif", "TIFF"), ("view.bmp", "BMP")])
def test_the_view_is_written_in_the_format_its_name_says(tmp_path: Path, name: str, kind: str) -> None:
    export, _ = _export(tmp_path)
    assert export.write(tmp_path / name)
    with Image.open(tmp_path / name) as picture:
        assert (picture.format, picture.size) == (kind, (8, 6))


def test_a_suffix_no_writer_knows_is_refused_and_said(tmp_path: Path, monkeypatch) -> None:
    export, reports = _export(tmp_path)
    assert not export.write(tmp_path / "view.xyz")
    assert not (tmp_path / "view.xyz").exists()
    target = tmp_path / "view.xyz"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(target), ""))
    export.dialog()
    assert export.writing is None and not target.exists()
    assert len(reports) == 1 and reports[0].startswith(f"could not write {target}: cannot write .xyz pictures"), reports


def test_the_dialog_offers_jpeg_too(tmp_path: Path, monkeypatch) -> None:
    export, _ = _export(tmp_path)
    offered: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (offered.append(args[3]), ("", ""))[1])
    export.dialog()
    assert offered and "*.png" in offered[0] and "*.jpg" in offered[0], offered
