"""Fine-tune the Model and Compare Two Checkpoints on a 1024 x 640 screen: :func:`app.panels.fit_to_screen`
sizes each to the screen's free area less a window frame (784 x 720 and 784 x 752 were their sizes on the
offscreen platform's default 800 x 800 screen, taller than 640), and at that size every control is whole
inside the dialog (none squeezed below its own least height, none past the dialog's edge)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSettings
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
    QLineEdit,
    QProgressBar,
    QWidget,
)

from app.panels import FRAME_ALLOWANCE
from app.training.compare_dialog import CompareDialog
from app.training.dialog import FineTuneDialog
from fosp_core.analysis.settings import AnalysisSettings

SMALL = QRect(0, 0, 1024, 640)


def _fine_tune(settings: QSettings, tmp_path: Path) -> QDialog:
    return FineTuneDialog(settings, AnalysisSettings(), [("cpu", "CPU")], runs_dir=str(tmp_path / "runs"))


def _compare(settings: QSettings, _tmp_path: Path) -> QDialog:
    return CompareDialog(settings, AnalysisSettings(device="cpu"), lambda: [], input_size=64)


def _controls(dialog: QDialog) -> list[QWidget]:
    kinds = (QAbstractButton, QLineEdit, QComboBox, QProgressBar)
    return [w for w in dialog.findChildren(QWidget)  # (not the parts of a spin box: qt_spinbox_lineedit)
            if isinstance(w, kinds) and w.isVisibleTo(dialog) and not w.objectName().startswith("qt_")]


@pytest.mark.parametrize("make", [_fine_tune, _compare], ids=["fine-tune", "compare"])
def test_the_dialog_fits_a_1024_x_640_screen_with_every_control_whole(qtbot, monkeypatch, tmp_path: Path,
                                                                      make) -> None:  # noqa: ANN001
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: QRect(SMALL))
    dialog = make(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), tmp_path)
    qtbot.addWidget(dialog)
    try:
        assert dialog.height() <= SMALL.height() - FRAME_ALLOWANCE[1]
        assert dialog.width() <= SMALL.width() - FRAME_ALLOWANCE[0]
        dialog.show()
        qtbot.waitExposed(dialog)
        QApplication.processEvents()
        inside = dialog.rect()
        controls = _controls(dialog)
        assert len(controls) >= 8
        for control in controls:
            place = QRect(control.mapTo(dialog, control.rect().topLeft()), control.size())
            assert inside.contains(place), f"{control.accessibleName() or control.objectName() or control} {place}"
            assert control.height() >= min(control.minimumSizeHint().height(), control.sizeHint().height()), control
    finally:
        dialog.close()
        if isinstance(dialog, CompareDialog):
            dialog.shutdown()  # its thread
