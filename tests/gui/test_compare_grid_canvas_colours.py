"""The compare grid tells the story the canvas tells: its Focus Map and separated-foreground panels are
drawn in the colours the canvas draws those layers in (the layer stack's colormaps and levels, the
user's choice included; the grid drew them in inferno and magma whatever the canvas showed, viridis by
default), each with a colour key naming the map and its range; and an outline along the image's edge
stays in its panel (a cosmetic pen drew half its width, about 1 px, into the gap beside it)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from app.analysis.compare_grid import COLUMNS, CompareGrid
from app.analysis.overlays import LayerOverlays
from app.analysis.render import layer_table
from app.canvas import Canvas
from fosp_core.analysis.layers import LayerStack
from fosp_core.infer.result import Prediction
from tests.gui.canvas_helpers import pixels

H, W = 120, 160
#: Values of four vertical bands, all where the canvas's scalar overlays are opaque (above SCALAR_FADE).
BANDS = (0.45, 0.6, 0.75, 0.9)


def _bands(scale: float = 1.0) -> np.ndarray:
    band = np.repeat(np.asarray(BANDS, np.float32) * np.float32(scale), W // len(BANDS))
    return np.ascontiguousarray(np.broadcast_to(band, (H, W)))


def _prediction() -> Prediction:
    """A Focus Map of BANDS and one stride's foreground energy of 2·BANDS (its maximum 1.8: the grid's
    panel, each stride over its own maximum, reads BANDS / 0.9; the canvas draws it up to 1.8 too)."""
    return Prediction(probability=np.zeros((H, W), np.float32), focus_map=_bands(),
                      foreground_energy={4: _bands(2.0)})


def _runs(row: np.ndarray, least: int = 6) -> list[tuple[int, int, int]]:
    """The colours of `row` (uint8 (N, 3)) that hold for `least` pixels or more in a row, in order."""
    out: list[tuple[int, int, int]] = []
    start = 0
    for x in range(1, len(row) + 1):
        if x == len(row) or (row[x] != row[start]).any():
            if x - start >= least:
                out.append(tuple(int(v) for v in row[start]))
            start = x
    return out


def _canvas_colours(table: np.ndarray, values: tuple[float, ...]) -> list[tuple[int, int, int]]:
    """`values` through the canvas's lookup table `table` (levels 0..1), as pyqtgraph indexes it."""
    return [tuple(int(c) for c in table[min(255, int(v * 256)), :3]) for v in values]


def _grid_png(grid: CompareGrid, tmp_path: Path, name: str = "grid.png") -> np.ndarray:
    out = tmp_path / name
    assert grid.export_png(out)
    return cv2.cvtColor(cv2.imread(str(out)), cv2.COLOR_BGR2RGB)


def _panel_row(png: np.ndarray, column: str) -> np.ndarray:
    """The middle row of `column`'s panel in an exported grid (the titles above it, the keys under
    it, about as tall as each other)."""
    width = png.shape[1] // len(COLUMNS)
    col = COLUMNS.index(column)
    return png[png.shape[0] // 2, col * width:(col + 1) * width]


def _contains(runs: list, wanted: list) -> bool:
    return any(runs[i:i + len(wanted)] == wanted for i in range(len(runs) - len(wanted) + 1))


def test_the_grid_draws_the_maps_in_the_canvas_s_colours_and_follows_them(qtbot, tmp_path: Path) -> None:
    stack = LayerStack()
    grid = CompareGrid(layers=stack)
    qtbot.addWidget(grid)
    canvas = Canvas()
    qtbot.addWidget(canvas)
    canvas.resize(4 * W, 4 * H)
    canvas.set_image(np.full((H, W, 3), 128, np.uint8))
    overlays = LayerOverlays(canvas, stack)
    stack.events.changed.connect(overlays.on_layer_changed)  # as the analysis controller does
    stack.set_visible("probability", False)
    stack.set_visible("τ contour", False)
    prediction = _prediction()
    grid.set_content(np.zeros((H, W, 3), np.uint8), prediction, None, 0.5)

    for name, column, cmap in (("focus map", COLUMNS[1], "turbo"), ("foreground energy /4", COLUMNS[3], "plasma")):
        for other in ("focus map", "foreground energy /4"):
            stack.set_visible(other, other == name)
        stack.set_opacity(name, 1.0)
        overlays.show({"focus map": np.asarray(prediction.focus_map), "foreground energy /4": _bands(2.0)})
        for colormap in (stack[name].colormap, cmap):  # the default (viridis, magma), then the user's
            stack.set_colormap(name, colormap)
            expected = _canvas_colours(layer_table(stack[name]), tuple(v / max(BANDS) if "energy" in name else v
                                                                         for v in BANDS))
            qtbot.wait(10)
            on_canvas = pixels(canvas)[..., ::-1]  # (RGB32 in memory: BGR)
            assert _contains(_runs(on_canvas[on_canvas.shape[0] // 2]), expected), (name, colormap)
            assert _contains(_runs(_panel_row(_grid_png(grid, tmp_path), column)), expected), (name, colormap)
            assert grid.keys[column].colours() is not None
            assert (grid.keys[column].colours() == layer_table(stack[name])[:, :3]).all()  # its key's bar


def test_the_keys_name_the_maps_and_their_ranges(qtbot) -> None:
    grid = CompareGrid()
    qtbot.addWidget(grid)
    assert set(grid.key_texts().values()) == {""}  # nothing drawn: no key
    grid.set_content(np.zeros((H, W, 3), np.uint8), _prediction(), None, 0.5)
    keys = grid.key_texts()
    assert keys[COLUMNS[1]] == "Focus Map 0 … 1"  # as the layer list's legend says it
    assert keys[COLUMNS[3]] == "foreground, relative 0 … 1"
    assert "each stride's foreground energy over its own maximum" in grid.keys[COLUMNS[3]].toolTip()
    grid.set_content(np.zeros((H, W, 3), np.uint8), Prediction(probability=np.zeros((H, W), np.float32)), None, 0.5)
    assert set(grid.key_texts().values()) == {""}  # no Focus Map, no foreground: no keys
    grid.set_content(None, None, None, 0.5)
    assert set(grid.key_texts().values()) == {""}


def _edge_grid(qtbot, shape: tuple[int, int], outlined: bool) -> CompareGrid:  # noqa: ANN001
    h, w = shape
    grid = CompareGrid()
    qtbot.addWidget(grid)
    prob = np.zeros((h, w), np.float32)
    prob[:, w // 2:] = 0.9  # the mask touches the image's top, right and bottom edges
    label = (prob > 0.5).astype(np.uint8)
    grid.set_content(np.full((h, w, 3), 90, np.uint8), Prediction(probability=prob, focus_map=np.zeros((h, w),
                     np.float32)), label, 0.5)
    grid.masks.wait()  # (huge images: the outlines are traced on a worker)
    if not outlined:
        grid.prediction_outline.setData([], [])
        grid.gt_outline.setData([], [])
    return grid


def test_outlines_along_the_image_s_edge_stay_in_their_panel(qtbot, tmp_path: Path) -> None:
    """The pixels of the gaps and margins (the grid's background without outlines) stay background
    with them: before, a 4000x3000 image's grid had 542 of them in the outlines' colours."""
    background = np.array((0x20, 0x20, 0x20))
    for shape in ((300, 400), (1080, 1920), (512, 512), (3000, 4000)):
        bare = _grid_png(_edge_grid(qtbot, shape, outlined=False), tmp_path, "bare.png")
        drawn = _grid_png(_edge_grid(qtbot, shape, outlined=True), tmp_path, "drawn.png")
        gap = (bare == background).all(axis=2)
        assert ((drawn != bare).any(axis=2) & ~gap).any()  # the outlines are drawn, in their panels
        assert (drawn[gap] == background).all(), (shape, int((drawn[gap] != background).any(axis=1).sum()))
