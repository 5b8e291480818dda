"""A 1 x 20000 strip's thumbnail (tests/odd_inputs' strip) and a 4000 x 1 one in the image list: a line
at least a pixel across, as the canvas draws them (:mod:`app.sliver`).

At 200 % the strip's thumbnail is 256 x 1 device pixels, which the list drew 128 x 0.5 logical pixels,
that is nothing (at 125 %, 160 x 1 drawn 128 x 0.8: nothing too). The scale factor is fixed when Qt
starts, so the list runs in a child process."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui import hidpi_child

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, sys
from pathlib import Path
import numpy as np
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from app.image_list import ImageListView
from app.loader import make_thumbnail, screens_scale, thumbnail_box
from fosp_core.io.images import read_image
from fosp_core.session import ImageSession
from PIL import Image
from tests.odd_inputs import IMAGES
from tests.odd_inputs.images import picture

app = QApplication.instance() or QApplication(["fosp-studio"])  # one made by a probe before (tests/gui/hidpi_child.py)
folder = Path(sys.argv[1])  # the two strips, made here: 1 row of 20000 columns, 4000 rows of 1
wide = IMAGES["strip_1x20000"].make(folder)
tall = folder / "tall_4000x1.png"
Image.fromarray(np.ascontiguousarray(picture(4000, 1))).save(tall)

def grab(view):
    image = view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, :image.width() * 3].reshape(image.height(), image.width(), 3).copy()

shown = {}
for key, path in (("wide", wide), ("tall", tall)):
    session = ImageSession()
    session.add([path])
    view = ImageListView(session)
    view.resize(300, 200)
    view.show()
    rgb = read_image(path).rgb
    thumbnail = make_thumbnail(rgb, thumbnail_box(screens_scale()))
    blank = QImage(thumbnail.size(), QImage.Format.Format_RGB888)
    blank.fill(0x00ff00)  # green: in neither strip's picture
    view.list_model.set_thumbnail(session.paths[0], blank)
    app.processEvents()
    before = grab(view)
    view.list_model.set_thumbnail(session.paths[0], thumbnail)
    app.processEvents()
    drawn = np.any(grab(view) != before, axis=-1)
    ys, xs = np.nonzero(drawn)
    shown[key] = {"dpr": view.devicePixelRatioF(), "thumbnail": [thumbnail.width(), thumbnail.height()],
                        "pixels": int(drawn.sum()), "columns": len(set(xs.tolist())), "rows": len(set(ys.tolist()))}
    view.close()
print(json.dumps(shown))
"""


SCALES = ("1", "1.25", "2")
hidpi_child.register("strips", CHILD, SCALES, argv=("{tmp}",), order=-1)  # its child runs other HiDPI probes too


@pytest.mark.parametrize("scale", SCALES)
def test_a_strips_thumbnail_is_a_line_at_least_a_pixel_across(tmp_path_factory: pytest.TempPathFactory,
                                                              scale: str) -> None:
    shown = hidpi_child.probed("strips", scale, tmp_path_factory.getbasetemp())
    wide, tall = shown["wide"], shown["tall"]
    dpr = wide["dpr"]
    assert dpr == float(scale), shown
    # the line runs the icon's 128 (96) logical pixels, at least a device pixel across
    assert wide["rows"] >= 1 and wide["columns"] >= int(120 * dpr), shown
    assert tall["columns"] >= 1 and tall["rows"] >= int(90 * dpr), shown


def test_only_a_side_under_the_scale_is_stretched(qapp) -> None:  # noqa: ANN001 (pytest-qt fixture)
    from PySide6.QtGui import QImage

    from app.sliver import thumbnail_at_least_a_pixel

    def size(w: int, h: int, scale: float) -> tuple[int, int]:
        image = QImage(w, h, QImage.Format.Format_RGB888)
        image.fill(0x336699)
        made = thumbnail_at_least_a_pixel(image, scale)
        assert made.pixelColor(made.width() - 1, made.height() - 1) == image.pixelColor(0, 0)  # its pixels repeated
        return made.width(), made.height()

    assert size(128, 1, 1.0) == (128, 1)  # 100 %: a pixel is a pixel, as before
    assert size(160, 1, 1.25) == (160, 2) and size(1, 120, 1.25) == (2, 120)
    assert size(256, 1, 2.0) == (256, 2) and size(1, 1, 3.0) == (3, 3)
    assert size(256, 2, 2.0) == (256, 2) and size(256, 192, 2.0) == (256, 192)  # thick enough: unchanged
    assert thumbnail_at_least_a_pixel(QImage(), 2.0).isNull()
