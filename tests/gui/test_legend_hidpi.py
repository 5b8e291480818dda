"""The analysis legend's colour bar and colour marks at 150 and 200 % scaling (and 100 %), measured from
the rendered legend: the bar is drawn a device pixel per screen pixel, so every pixel of it is a colour
of the layer's lookup table and it shows a step per device pixel (up to the table's 256); a mark's frame
is round(ratio) device pixels on every side. The bar was a 256-pixel key the label stretched smoothly
(247 blended colours at 200 %), the marks 10-pixel PNGs Qt scaled (a frame 2 px on two sides, 1 px on
the others, at 150 %). The scale factor is fixed when Qt starts, so the legend runs in a child process."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui import hidpi_child

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json
import numpy as np
from PySide6.QtGui import QImage
from app.main import create_app
from app.analysis.legend import FRAME, LayerLegend
from app.analysis.render import lookup_table
from fosp_core.analysis.layers import ERROR_COLORS, LayerStack

app = create_app(["fosp-studio"])
frame = FRAME.getRgb()[:3]

def pixels(image):
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, :image.width() * 3].reshape(image.height(), image.width(), 3).astype(int)

def run(line):  # how many frame pixels in a row from the start of `line`
    n = 0
    while n < len(line) and tuple(line[n]) == frame:
        n += 1
    return n

stack = LayerStack()
legend = LayerLegend()
legend.resize(300, 80)
legend.show()
legend.set_layer(stack["focus map"], None)
app.processEvents()
bar = pixels(legend.bar.grab().toImage())
table = {tuple(c) for c in lookup_table("scalar", stack["focus map"].colormap, translucent=False)[:, :3].tolist()}
colours = [tuple(p) for p in bar.reshape(-1, 3).tolist()]
out = {"dpr": legend.devicePixelRatioF(), "bar_width": int(bar.shape[1]),
       "foreign": sum(c not in table for c in colours), "steps": len(set(map(tuple, bar[bar.shape[0] // 2].tolist())))}
legend.set_layer(stack["error map"], None)
app.processEvents()
note = pixels(legend.note.grab().toImage())
frames = []
for colour in ERROR_COLORS[stack["error map"].colormap]:
    ys, xs = np.nonzero((note == np.array(colour)).all(axis=2))
    y0, y1, x0, x1 = ys.min(), ys.max(), xs.min(), xs.max()
    inside = note[y0:y1 + 1, x0:x1 + 1].reshape(-1, 3)
    my, mx = (y0 + y1) // 2, (x0 + x1) // 2
    frames.append({"filled": bool((inside == np.array(colour)).all()),
                   "sides": [run(note[y0 - 1::-1, mx]), run(note[y1 + 1:, mx]),
                             run(note[my, x0 - 1::-1]), run(note[my, x1 + 1:])]})
out["marks"] = frames
print(json.dumps(out))
"""


SCALES = ("1", "1.5", "2")
hidpi_child.register("legend", CHILD, SCALES)  # its child runs the other HiDPI files' probes too


@pytest.mark.parametrize("scale", SCALES)
def test_legend_bar_and_marks_are_drawn_at_the_devices_pixels(tmp_path_factory: pytest.TempPathFactory,
                                                              scale: str) -> None:
    got = hidpi_child.probed("legend", scale, tmp_path_factory.getbasetemp())
    assert got["dpr"] == float(scale), got
    assert got["foreign"] == 0, got  # no blend of two steps
    assert got["steps"] >= min(250, got["bar_width"] - 2), got  # a step a device pixel (the table: 256 colours)
    for mark in got["marks"]:
        assert mark["filled"], got
        assert mark["sides"] == [round(float(scale))] * 4, got  # an even frame, a logical pixel wide
