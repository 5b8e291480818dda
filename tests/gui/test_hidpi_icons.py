"""Toolbar icons at 200 % scaling (a 4K monitor), light theme: drawn with a device pixel per screen pixel.

The app's icons are :class:`app.icons.ThemedIconEngine`, whose ``pixmap`` paints at the size it is
given; Qt asks it for the device size (48 x 48 for a 24 px icon at 200 %), so the toolbar shows the
glyph qtawesome draws at 48 px, not a 24 px one blown up. The scale factor is fixed when Qt starts, so
the window runs in a child process."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui import hidpi_child

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, sys
from pathlib import Path
import numpy as np
import qtawesome as qta
from PySide6.QtCore import QSettings, QSize
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QToolBar
from app.main import create_app
from app.main_window import MainWindow
from app.services import CollectingErrorReporter, Services
from app.theme import LIGHT

app = create_app(["fosp-studio"])
tmp = Path(sys.argv[1])
settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
window = MainWindow(Services(settings=settings, error_reporter=CollectingErrorReporter(), default_model=None))
window.annotation.controller.registry.projects_root = tmp / "projects"
window.theme_choice.choose("light", keep=False)
window.resize(1280, 720)
window.show()
app.processEvents()

def pixels(image):
    image = image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine() // 4, 4)
    return rows[:, :image.width()].astype(int)

def found(grab, glyph):
    # where the glyph, drawn over the button's background, is in the grab: the smallest difference
    height, width = glyph.shape[:2]
    alpha = glyph[..., 3:] / 255.0
    best = 10 ** 9
    for y in range(grab.shape[0] - height + 1):
        for x in range(grab.shape[1] - width + 1):
            under = grab[y:y + height, x:x + width]
            background = under[0:1, 0:1]
            over = glyph + background * (1 - alpha)
            best = min(best, int(np.abs(under[..., :3] - over[..., :3]).max()))
    return best

toolbar = window.findChild(QToolBar, "main_toolbar")
button = toolbar.widgetForAction(window.action_open)
size = toolbar.iconSize()
dpr = button.devicePixelRatioF()
grab = pixels(button.grab().toImage())
color = LIGHT.icon.name()
sharp = pixels(qta.icon("fa6s.file-image", color=color).pixmap(size * dpr, 1.0).toImage())
small = qta.icon("fa6s.file-image", color=color).pixmap(size, 1.0).toImage()
blurry = pixels(small.scaled(small.size() * dpr))  # a logical-size glyph blown up to device pixels
print(json.dumps({"dpr": dpr, "icon": [size.width(), size.height()], "sharp": found(grab, sharp),
                  "blurry": found(grab, blurry)}))
sys.stdout.flush()
window.close()  # as a user quits: the window stops its threads (else 'QThread: Destroyed while thread
app.processEvents()  # fosp-inference is still running' aborts the child at exit, now and then)
"""


hidpi_child.register("icons", CHILD, ("2",), argv=("{tmp}",), order=1)  # its child runs other HiDPI probes too


def test_toolbar_icons_are_drawn_at_the_screens_device_pixels(tmp_path_factory: pytest.TempPathFactory) -> None:
    shown = hidpi_child.probed("icons", "2", tmp_path_factory.getbasetemp())
    assert shown["dpr"] == 2.0, shown
    assert shown["sharp"] <= 2, shown  # the 48 px glyph, to rounding of the blend
    assert shown["blurry"] > 20, shown  # the check can tell a blown-up 24 px one
