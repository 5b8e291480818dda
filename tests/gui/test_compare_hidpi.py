"""Compare Two Checkpoints at 100, 125 and 200 % scaling, dark and light theme, measured from the
rendered widgets:

- the table shows an image's name on one line (elided in its middle), clear of the current row's focus
  frame: QTableWidget wrapped the long camera names onto the row's two lines, the second at the row's
  bottom edge, where the focus frame covered its underscores ("c__1530902221_+00540" read
  "c  1530902221  +00540"); the whole name stays in the tooltip, also on a row that failed;
- the A/B previews are drawn with a device pixel per screen pixel: they were scaled to the label's
  logical size and blown up by Qt at 200 % (blurry); and they fit their labels under the captions
  shown with them.

The scale factor is fixed when Qt starts, so the widgets run in a child process."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui import hidpi_child

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "resources" / "demo"  # bundled: a fresh clone has no ../shared

CHILD = r"""
import json, math, sys
from pathlib import Path
import cv2
import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from app.main import create_app
from app.theme import apply_theme
from app.training.compare_previews import ComparePreviews
from app.training.compare_table import CompareTable
from app.training.compare_worker import PREVIEW_SIDE, _jpeg
from fosp_core.analysis.compare import CompareRow, compare_one, preview_pair
from fosp_core.io.images import read_image

app = create_app(["fosp-studio"])
photo = Path(sys.argv[1])
NAMES = ("20180706_West_lp-n-mobo-c__1530902221_+00540.jpg",
         "20200822_BrattonFire_lp-s-mobo-c__1598128445_+02280.jpg")

def pixels(image):
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, :image.width() * 3].reshape(image.height(), image.width(), 3).astype(int)

def name_cells(table, dpr):
    # per row: the text's lines (bands of ink rows), its height, and its gaps to the focus frame
    grab = pixels(table.viewport().grab().toImage())
    cells = []
    for r in range(table.rowCount()):
        rect = table.visualRect(table.model().index(r, 0))
        cell = grab[math.ceil(rect.top() * dpr):int((rect.bottom() + 1) * dpr),
                    math.ceil(rect.left() * dpr):int((rect.right() + 1) * dpr)]
        colours, counts = np.unique(cell.reshape(-1, 3), axis=0, return_counts=True)
        ink = np.abs(cell - colours[counts.argmax()]).max(axis=2) > 60
        frame_rows = np.nonzero(ink.mean(axis=1) > 0.8)[0]  # the focus frame's lines
        frame_cols = np.nonzero(ink.mean(axis=0) > 0.8)[0]
        ink[frame_rows] = False
        ink[:, frame_cols] = False
        text = np.nonzero(ink.any(axis=1))[0]
        top, bottom = frame_rows[frame_rows < text[0]], frame_rows[frame_rows > text[-1]]
        cells.append({"lines": 1 + int(np.sum(np.diff(text) > 1)), "height": int(text[-1] - text[0] + 1),
                      "frame": len(frame_rows) > 0,
                      "gaps": [int(text[0] - top.max() - 1) if len(top) else None,
                               int(bottom.min() - text[-1] - 1) if len(bottom) else None]})
    return cells

def previews(pane, data, dpr):
    # the grab of preview A against the photo scaled straight to device pixels (sharp) and scaled
    # to logical pixels then blown up (blurry): the mean difference at the best offset
    pane.show_row(CompareRow(photo), (data, data), ["a", "b"])  # its first: the captions were empty
    app.processEvents()
    label = pane.preview_a
    grab = pixels(label.grab().toImage())
    source = QImage.fromData(data, "JPG")
    box = label.size()
    sharp = source.scaled(box * dpr, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
    small = source.scaled(box, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
    blurry = small.scaled(sharp.size(), Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation)
    out = {}
    for key, reference in (("sharp", sharp), ("blurry", blurry)):
        ref = pixels(reference)
        h, w = ref.shape[:2]
        y0, x0 = (grab.shape[0] - h) // 2, (grab.shape[1] - w) // 2
        best = 1e9
        for dy in range(-2, 3):
            for dx in range(-2, 3):
                y, x = y0 + dy, x0 + dx
                if 0 <= y and 0 <= x and y + h <= grab.shape[0] and x + w <= grab.shape[1]:
                    best = min(best, float(np.abs(grab[y:y + h, x:x + w] - ref)[4:-4, 4:-4].mean()))
        out[key] = best
    shown = label.pixmap()
    out["pixmap"] = [shown.width(), shown.height(), shown.devicePixelRatio()]
    out["label"] = [box.width(), box.height()]
    return out

rgb = read_image(photo).rgb
prob = np.zeros(rgb.shape[:2], np.float32)
prob[: rgb.shape[0] // 3, : rgb.shape[1] // 3] = 1.0
data = _jpeg(preview_pair(rgb, prob, prob, None, 0.5, PREVIEW_SIDE)[0])
shown = {}
for theme in ("dark", "light"):
    apply_theme(app, theme)
    table = CompareTable()
    table.resize(760, 240)
    for name in NAMES:
        table.add_row(compare_one(Path("/p") / name, prob, prob, (prob > 0).astype(np.uint8), 0.5))
    table.add_row(CompareRow(Path("/p") / NAMES[0], error="cannot read the image"))
    table.show()
    table.activateWindow()
    table.setFocus()
    table.setCurrentCell(0, 0)
    app.processEvents()
    assert table.hasFocus()
    dpr = table.devicePixelRatioF()
    cells = name_cells(table, dpr)  # while the table has the focus
    pane = ComparePreviews()
    pane.resize(640, 300)
    pane.show()
    app.processEvents()
    shown[theme] = {"dpr": dpr, "line": table.fontMetrics().height(), "cells": cells,
                    "tips": [table.item(r, 0).toolTip() for r in range(table.rowCount())],
                    "previews": previews(pane, data, dpr)}
    table.close()
    pane.close()
print(json.dumps(shown))
"""


SCALES = ("1", "1.25", "2")
hidpi_child.register("compare", CHILD, SCALES, argv=(str(sorted((DATA / "JPEGImages").glob("*.jpg"))[0]),))


@pytest.fixture(scope="module", params=SCALES)
def shown(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """What the child measured at QT_SCALE_FACTOR `request.param`, by theme (the child of that scale runs the
    other HiDPI files' probes too: tests/gui/hidpi_child.py)."""
    out = hidpi_child.probed("compare", request.param, tmp_path_factory.getbasetemp())
    assert out["dark"]["dpr"] == float(request.param), out["dark"]["dpr"]
    return out


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_names_are_one_line_clear_of_the_focus_frame(shown: dict, theme: str) -> None:
    got = shown[theme]
    line = got["line"] * got["dpr"]  # a line of text, in device pixels
    for cell in got["cells"]:
        assert cell["lines"] == 1 and cell["height"] <= line + 2, (got["dpr"], cell)
    focused = got["cells"][0]
    assert focused["frame"], focused  # the current row's frame is drawn ...
    assert min(focused["gaps"]) >= 2, (got["dpr"], focused)  # ... and the name stands clear of it


def test_the_whole_name_is_in_the_tooltip(shown: dict) -> None:
    tips = shown["dark"]["tips"]
    assert tips[0] == "/p/20180706_West_lp-n-mobo-c__1530902221_+00540.jpg"
    assert tips[2].splitlines() == ["/p/20180706_West_lp-n-mobo-c__1530902221_+00540.jpg", "cannot read the image"]


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_previews_have_a_device_pixel_per_screen_pixel(shown: dict, theme: str) -> None:
    got = shown[theme]["previews"]
    dpr = shown[theme]["dpr"]
    assert got["pixmap"][2] == dpr, got
    # it fits its label as laid out under the captions it shows with (it was scaled to the label's
    # height before they took their line: 280 px in a 271 px label at 100 %, its top and bottom cut)
    assert all(got["pixmap"][i] <= round(got["label"][i] * dpr) for i in (0, 1)), got  # in device pixels
    assert got["sharp"] <= 1.0, got  # the photo scaled straight to the screen's pixels
    if dpr >= 2:
        assert got["blurry"] > got["sharp"] + 2, got  # the check tells a blown-up one
