"""The Import Labels dialog (Qt's own file dialog, not the desktop's) shows its Parent Folder, Back and
Forward buttons' arrows at 3:1 on the window in both themes (WCAG 1.4.11: the arrow is the button's only
mark), measured from the rendered buttons while they are enabled. Fusion drew them black whatever the
palette: the parent folder's arrow was 1.4:1 on the dark window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QToolButton

from app.annotation.import_labels_dialog import LabelSourceDialog
from app.theme import DARK, LIGHT, Theme, apply_theme
from tests.gui import theme_helpers
from tests.gui.rendered_edges import contrast
from tests.gui.theme_helpers import image_pixels

restore_theme = theme_helpers.restore_theme
AA_UI = 3.0


def _strongest(pixels, window: QColor) -> float:  # noqa: ANN001 - (H, W, 3) uint8
    seen = {tuple(int(v) for v in px) for px in pixels.reshape(-1, 3)}
    return max(contrast(QColor(*rgb), window) for rgb in seen)


@pytest.mark.parametrize("theme", [DARK, LIGHT], ids=lambda t: t.name)
def test_file_dialog_arrows_meet_3_to_1(qapp, qtbot, restore_theme, tmp_path: Path, theme: Theme) -> None:  # noqa: ANN001
    apply_theme(qapp, theme.name)
    (tmp_path / "labels" / "inner").mkdir(parents=True)
    dialog = LabelSourceDialog(None, str(tmp_path / "labels"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.setDirectory(str(tmp_path / "labels" / "inner"))
    dialog.setDirectory(str(tmp_path / "labels"))  # a folder gone back from: Back and Forward ...
    back = dialog.findChild(QToolButton, "backButton")
    assert back is not None
    back.click()  # ... Back taken once: Forward enabled too
    QApplication.processEvents()
    for name in ("toParentButton", "backButton", "forwardButton"):
        button = dialog.findChild(QToolButton, name)
        assert button is not None and button.isVisible(), name
        if not button.isEnabled():
            continue  # a disabled button's arrow is dimmer (WCAG exempts inactive controls)
        pixels = image_pixels(button.grab().toImage())
        assert _strongest(pixels, theme.window) >= AA_UI, f"{name}'s arrow too faint on the {theme.name} window"
    assert dialog.findChild(QToolButton, "toParentButton").isEnabled()
