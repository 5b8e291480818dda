"""The Layers list's colour keys at 125 and 200 % scaling (and 100 %), dark and light theme, measured
from the rendered list: each swatch is drawn with a device pixel per screen pixel, so every pixel in it
is one of its key's own colours (a colour of the layer's lookup table, its named colours, its edge's) or
its frame's grey. They were drawn at 1x and Qt blew them up, blending neighbouring colours (the dashed
ground truth's edge, the colour bars' steps). The scale factor is fixed when Qt starts, so the list runs
in a child process."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui import hidpi_child

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, math
import numpy as np
from PySide6.QtGui import QImage
from app.main import create_app
from app.theme import apply_theme
from app.analysis.layer_list import LayerList
from app.analysis.legend import KEY_SIZE, key_image
from app.analysis.render import lookup_table
from fosp_core.analysis.layers import LayerStack

app = create_app(["fosp-studio"])
FRAME = (128, 128, 128)
CHECKED = ("focus map", "foreground energy /8", "ground truth", "prediction mask", "error map", "hole")

def pixels(image):
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, :image.width() * 3].reshape(image.height(), image.width(), 3).astype(int)

def own_colours(layer):
    # the key's colours at any size: its lookup table (a bar) or its 1x key's pixels, and the frame
    if layer.kind == "scalar":
        colours = {tuple(c) for c in lookup_table("scalar", layer.colormap, translucent=False)[:, :3].tolist()}
    else:
        colours = {tuple(c) for c in pixels(key_image(layer)).reshape(-1, 3).tolist()}
    return colours | {FRAME}

shown = {}
for theme in ("dark", "light"):
    apply_theme(app, theme)
    stack = LayerStack()
    layers = LayerList(stack)
    layers.resize(320, 600)
    layers.show()
    app.processEvents()
    view = layers.list
    dpr = view.devicePixelRatioF()
    grab = pixels(view.viewport().grab().toImage())
    width, height = round((KEY_SIZE[0] + 2) * dpr), round((KEY_SIZE[1] + 2) * dpr)
    rows = {}
    for name in CHECKED:
        item = next(view.item(i) for i in range(view.count()) if view.item(i).text() == name)
        rect = view.visualItemRect(item)
        cell = grab[math.ceil(rect.top() * dpr):int((rect.bottom() + 1) * dpr)]
        ys, xs = np.nonzero(np.all(cell == FRAME, axis=2))
        x0 = int(xs.min())
        y0 = int(ys[(xs >= x0) & (xs < x0 + width)].min())
        box = cell[y0:y0 + height, x0:x0 + width].reshape(-1, 3)
        own = own_colours(stack[name])
        foreign = [c for c in {tuple(p) for p in box.tolist()} if c not in own]
        rows[name] = {"pixels": len(box), "foreign": sum(int(np.all(box == c, axis=1).sum()) for c in foreign)}
    shown[theme] = {"dpr": dpr, "rows": rows}
    layers.close()
print(json.dumps(shown))
"""


SCALES = ("1", "1.25", "2")
hidpi_child.register("swatches", CHILD, SCALES)  # its child runs the other HiDPI files' probes too


@pytest.mark.parametrize("scale", SCALES)
def test_layer_swatches_are_drawn_at_the_devices_pixels(tmp_path_factory: pytest.TempPathFactory, scale: str) -> None:
    shown = hidpi_child.probed("swatches", scale, tmp_path_factory.getbasetemp())
    for theme, got in shown.items():
        assert got["dpr"] == float(scale), got
        for name, row in got["rows"].items():
            # KEY_SIZE plus its frame, in device pixels, every one a colour of the key or of its frame
            assert row["pixels"] == round(30 * float(scale)) * round(14 * float(scale)), (theme, name, row)
            assert row["foreign"] == 0, (scale, theme, name, row)
