"""The analysis view's figure exports (compare grid, view) work from what they are handed: the window,
the result shown, the grid and its dock, a way to report. They import nothing of the controller
(which imported them back); these tests build them with stand-ins, and check that the window's grid
still follows the result shown while its dock is visible."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import cv2
import numpy as np
from PIL import Image
from PySide6.QtWidgets import QFileDialog

from app.analysis.grid_export import NOTHING_TO_EXPORT, NOTHING_TO_EXPORT_VIEW, GridExport, ViewExport
from fosp_core.analysis.layers import LayerStack
from fosp_core.analysis.settings import AnalysisSettings
from fosp_core.infer.result import Prediction


class _StatusBar:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def showMessage(self, text: str, _timeout: int = 0) -> None:  # noqa: N802 (Qt's name)
        self.messages.append(text)


class _Window:
    """The window as the exports use it: its session's current image and its status bar."""

    def __init__(self, image: SimpleNamespace | None) -> None:
        self.session = SimpleNamespace(current_image=image)
        self.bar = _StatusBar()

    def statusBar(self) -> _StatusBar:  # noqa: N802
        return self.bar


class _Grid:
    def __init__(self, writes: bool) -> None:
        self.contents: list[tuple] = []
        self.writes = writes

    def set_content(self, *content: object) -> None:
        self.contents.append(content)

    def export_png(self, _path: str | Path) -> bool:
        return self.writes

    def export_picture(self, _path: str | Path, _kind: str = "png") -> bool:
        return self.writes


def _shown(prediction: Prediction | None, label: np.ndarray | None = None, arrays: dict | None = None):
    return SimpleNamespace(settings=AnalysisSettings(threshold=0.3, keep="core:0.7"), prediction=prediction,
                           label=label, arrays=arrays or {}, work=SimpleNamespace(wait=lambda: None))


def _image(path: Path, h: int = 6, w: int = 8) -> SimpleNamespace:
    return SimpleNamespace(path=str(path), rgb=np.full((h, w, 3), 90, np.uint8))


def test_grid_export_fills_its_grid_while_the_dock_shows_and_reports_a_failed_write(tmp_path, monkeypatch) -> None:
    image = _image(tmp_path / "plume.png")
    window, grid, dock = _Window(image), _Grid(writes=False), SimpleNamespace(visible=False)
    dock.isVisible = lambda: dock.visible
    shown, reports = _shown(None), []
    export = GridExport(window, shown, grid, dock, reports.append)
    asked: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args: (asked.append(args[2]), (str(tmp_path / "grid.png"), ""))[1])

    assert not export.possible() and not export.write(tmp_path / "grid.png")
    export.dialog()  # nothing shown: said in the status bar, nothing asked
    assert window.bar.messages == [NOTHING_TO_EXPORT] and asked == []

    shown.prediction, shown.label = Prediction(probability=np.zeros((6, 8), np.float32)), np.zeros((6, 8), np.uint8)
    export.update()
    assert grid.contents == []  # the dock is hidden: the grid is left alone
    dock.visible = True
    export.update()
    assert grid.contents == [(image.rgb, shown.prediction, shown.label, 0.3, "core:0.7")]
    assert export.possible()
    export.dialog()  # the grid could not be written: reported
    assert asked == ["plume-compare-grid.png"]
    assert reports == [f"could not write {tmp_path / 'grid.png'}: the PNG writer could not save the grid"]


def test_view_export_writes_the_layers_shown_and_reports_an_os_error(qtbot, tmp_path, monkeypatch) -> None:
    image = _image(tmp_path / "plume.png")
    window, layers, reports = _Window(image), LayerStack(), []
    mask = np.zeros((6, 8), bool)
    mask[1:4, 2:6] = True
    shown = _shown(None, arrays={"prediction mask": mask})
    export = ViewExport(window, shown, layers, reports.append)
    out = tmp_path / "figures" / "view.png"
    answers = iter([str(tmp_path / "a-file" / "view.png"), str(out)])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (next(answers), ""))

    export.dialog()
    assert window.bar.messages == [NOTHING_TO_EXPORT_VIEW] and reports == []
    shown.prediction = Prediction(probability=mask.astype(np.float32))
    layers.set_visible("prediction mask", True)
    (tmp_path / "a-file").write_text("not a folder")
    export.dialog()  # its folder cannot be made: reported with the reason (written on a worker thread)
    qtbot.waitUntil(lambda: export.writing is None, timeout=10000)
    assert len(reports) == 1 and reports[0].startswith(f"could not write {tmp_path / 'a-file' / 'view.png'}: ")
    export.dialog()
    qtbot.waitUntil(lambda: export.writing is None, timeout=10000)
    assert window.bar.messages[-1] == f"Exported the view to {out}"
    png = cv2.cvtColor(cv2.imread(str(out)), cv2.COLOR_BGR2RGB)
    assert png.shape == (6, 8, 3) and png[2, 3, 0] > png[0, 0, 0] + 40  # the mask's red is there


def test_the_windows_grid_follows_the_result_shown_while_its_dock_shows(qtbot, make_window, tmp_path) -> None:
    path = tmp_path / "plume.png"
    Image.fromarray(np.full((12, 16, 3), 90, np.uint8)).save(path)
    window = make_window()
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.open_paths([path], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=10000)
    ctl = window.analysis
    window.show()
    ctl.grid_dock.show()
    qtbot.waitUntil(ctl.grid_dock.isVisible, timeout=5000)
    assert "threshold" not in ctl.grid.titles()[-1]  # nothing shown yet
    ctl._show(Prediction(probability=np.zeros((12, 16), np.float32)))
    assert f"threshold {ctl.settings.threshold:.2f}" in ctl.grid.titles()[-1]
    ctl._show(None)
    assert "threshold" not in ctl.grid.titles()[-1]
