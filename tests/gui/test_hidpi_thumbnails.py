"""The image list at 200 % scaling (a 4K monitor): thumbnails carry a device pixel per screen pixel.

A thumbnail was made for a 128 x 96 box whatever the screen: at QT_SCALE_FACTOR=2 the list draws
it in 256 x 192 device pixels, each thumbnail pixel blown up to four, a blurred picture beside
sharp text. The scale factor is fixed when Qt starts, so the window runs in a child process."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui import hidpi_child

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, sys, tempfile
from pathlib import Path
from PySide6.QtCore import QSettings
from app.main import _wait_until_idle, create_app
from app.main_window import MainWindow
from app.services import CollectingErrorReporter, Services

app = create_app(["fosp-studio"])
tmp = Path(sys.argv[1])
settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
window = MainWindow(Services(settings=settings, error_reporter=CollectingErrorReporter(), default_model=None))
window.annotation.controller.registry.projects_root = tmp / "projects"
made = []
window.loader.thumbnail_ready.connect(lambda _id, _path, image: made.append([image.width(), image.height()]))
window.resize(1280, 720)
window.show()
window.open_paths([Path(sys.argv[2])], remember=False, background=False)
window.image_list.request_visible_thumbnails()
_wait_until_idle(window, 60.0)
app.processEvents()
size = window.image_list.iconSize()
print(json.dumps({"dpr": window.image_list.devicePixelRatioF(), "icon": [size.width(), size.height()],
                  "made": made}))
window.close()
"""


hidpi_child.register("thumbnails", CHILD, ("1", "2"), argv=("{tmp}", str(ROOT / "resources" / "demo")), order=1)
# its child runs the other HiDPI files' probes too


def _thumbnails_at_scale(tmp_path_factory: pytest.TempPathFactory, scale: str) -> dict:
    return hidpi_child.probed("thumbnails", scale, tmp_path_factory.getbasetemp())


def test_thumbnails_have_a_device_pixel_per_screen_pixel_at_200_percent(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    shown = _thumbnails_at_scale(tmp_path_factory, "2")
    assert shown["dpr"] == 2.0 and shown["made"], shown
    icon_w, icon_h = shown["icon"]
    for width, height in shown["made"]:  # the demo's 512 x 512 photos fill the box's height
        scale = min(icon_w / width, icon_h / height)  # logical px per thumbnail px, as the list draws it
        assert scale * shown["dpr"] <= 1.0, shown  # was 1.0 * 2: each thumbnail pixel drawn 2 x 2


def test_thumbnails_stay_small_at_100_percent(tmp_path_factory: pytest.TempPathFactory) -> None:
    """No screen asks for more: the thumbnails keep their 128 x 96 box (memory of 2000 cached)."""
    shown = _thumbnails_at_scale(tmp_path_factory, "1")
    assert shown["dpr"] == 1.0 and shown["made"], shown
    assert all(width <= 128 and height <= 96 for width, height in shown["made"]), shown
