"""Do the analysis layers line up with the image? Each layer the canvas draws is the core API's map at
the image's own pixel grid, with no offset, at zoom to fit, 1:1 and 400 % (where the display pyramid
shows block means, the pixels themselves, or enlarged pixels), for images of odd sizes cut from real
photos and predicted by the default model; a known square's prediction mask and τ contour lie over
it; the hover readout reads the map under the cursor; the legends give the ranges the maps have.

A layer is checked alone (opacity 1, no outline curve) against
:func:`app.analysis.render.composite` of the core's arrays: the grab's pixel at each viewport pixel
is compared with the composite at the image pixel under that pixel's centre moved by (dx, dy), and
the best (dx, dy) must be the one the image itself (no layer shown) needs: (0, 0), or where the
view puts screen pixel centres on image pixel boundaries, the same rounding for image and layer;
below 1:1, within the n - 1 image pixels of one screen pixel (n image pixels per screen pixel).
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtTest import QTest

from app.analysis.overlays import OVERLAY_PREFIX, outline_item
from app.analysis.render import composite
from app.main_window import MainWindow
from fosp_core.analysis.layers import LayerStack
from fosp_core.infer.result import Prediction
from tests.gui.annotation_helpers import viewport_pos
from tests.gui.canvas_helpers import pixels, set_zoom

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "resources" / "demo" / "JPEGImages"
MODEL = ROOT / "resources" / "models" / "fosp-default.safetensors"
#: (height, width) of the crops: portrait, wide, a small odd one, a strip thinner than a /32 cell
#: after the letterbox (40 x 900 -> 23 x 512 rows, padded to 32), and one over the display pyramid's
#: GUI_RENDER_PIXELS (its levels rendered on the background thread, stood in for meanwhile).
SIZES = {"portrait": (733, 301), "wide": (211, 1517), "odd": (333, 517), "strip": (40, 900), "big": (1333, 2001)}
OFFSETS = [(dx, dy) for dy in (-2, -1, 0, 1, 2) for dx in (-2, -1, 0, 1, 2)]
EDGE_STEP = 8  # a step between neighbours this large (8-bit levels) is an edge a shift shows
MARGIN = 4  # image pixels left out along the border (a shift there has no neighbour to show)
_PREDICTIONS: dict[str, tuple[np.ndarray, Prediction]] = {}
_PREDICTOR: list = []  # the default model's Predictor, loaded once for the module's tests (it only predicts)


def crop(name: str) -> np.ndarray:
    """RGB uint8: a demo photo scaled up as needed and cut to SIZES[name]."""
    h, w = SIZES[name]
    photos = sorted(DEMO.glob("*.jpg"))
    bgr = cv2.imread(str(photos[list(SIZES).index(name) % len(photos)]))
    scale = max(1.0, h / bgr.shape[0], w / bgr.shape[1])
    if scale > 1.0:
        bgr = cv2.resize(bgr, None, fx=scale, fy=scale, interpolation=cv2.INTER_LINEAR)
    return np.ascontiguousarray(cv2.cvtColor(bgr[:h, :w], cv2.COLOR_BGR2RGB))


def predicted(name: str) -> tuple[np.ndarray, Prediction]:
    """(image, the default model's prediction of it with every map), as the app's worker asks."""
    if name not in _PREDICTIONS:
        rgb = crop(name)
        _PREDICTIONS[name] = rgb, predictor().predict(rgb, need="all")
    return _PREDICTIONS[name]


def predictor():  # noqa: ANN201 - a Predictor (torch imported here, not with the module)
    """The default model's Predictor on the CPU, as the app's worker asks it."""
    if not _PREDICTOR:
        import torch

        from fosp_core.infer.predictor import Predictor

        torch.set_num_threads(1)
        _PREDICTOR.append(Predictor(MODEL, device="cpu"))
    return _PREDICTOR[0]


def open_image(qtbot, make_window, tmp_path: Path, rgb: np.ndarray) -> MainWindow:  # noqa: ANN001
    """A shown window on `rgb` (written as a PNG), no analysis layer visible."""
    path = tmp_path / "image.png"
    cv2.imwrite(str(path), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.open_paths([path], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=20000)
    assert window.session.current_image.rgb.shape == rgb.shape
    for layer in window.analysis.layers:
        window.analysis.layers.set_visible(layer.name, False)
    return window


def image_coords(window: MainWindow) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) float (viewport H, W): the image coordinates of each viewport pixel's centre."""
    canvas = window.canvas
    to_image = canvas.view_box.childGroup.deviceTransform(canvas.viewportTransform()).inverted()[0]
    u, v = np.meshgrid(np.arange(canvas.viewport().width()) + 0.5, np.arange(canvas.viewport().height()) + 0.5)
    return (to_image.m11() * u + to_image.m21() * v + to_image.m31(),
            to_image.m12() * u + to_image.m22() * v + to_image.m32())


def grab(window: MainWindow, qtbot) -> np.ndarray:  # noqa: ANN001
    """The canvas's RGB pixels (int) once every shown layer is drawn (a map held at the grid is
    upsampled on a worker: app.analysis.deferred_overlays) and every shown item has its exact level."""
    canvas = window.canvas
    qtbot.waitUntil(lambda: not window.analysis.shown.overlays.pending, timeout=20000)
    canvas.viewport().repaint()
    items = [canvas.base, *(canvas.overlay(OVERLAY_PREFIX + layer.name) for layer in window.analysis.layers)]
    qtbot.waitUntil(lambda: not any(item is not None and item.standing_in for item in items), timeout=5000)
    canvas.viewport().repaint()
    return pixels(canvas)[..., ::-1].astype(np.int32)  # Format_RGB32 keeps B, G, R in memory order


def channel_max(values: np.ndarray) -> np.ndarray:
    """The largest of the last axis's 3 channels: ``values.max(axis=-1)``, without numpy's slow
    reduction over a 3-wide innermost axis (most of this module's time)."""
    return np.maximum(np.maximum(values[..., 0], values[..., 1]), values[..., 2])


def step(image: np.ndarray) -> np.ndarray:
    """int (H, W): the largest difference of each pixel of `image` (H, W, 3) from its right or lower
    neighbour, over the channels."""
    return np.maximum(channel_max(np.abs(np.diff(image, axis=1, append=image[:, -1:]))),
                      channel_max(np.abs(np.diff(image, axis=0, append=image[-1:]))))


def best_offset(drawn: np.ndarray, expected: np.ndarray, x: np.ndarray, y: np.ndarray,
                under: np.ndarray | None = None) -> tuple[tuple[int, int] | None, float, int]:
    """The (dx, dy) whose image pixels under the viewport's centres moved by it best explain `drawn`
    (viewport pixels) from `expected` (image pixels), judged where `expected` (less `under`: what
    the layer is drawn over) has edges (a shift of a flat area changes nothing), its mean absolute
    difference there, and how many pixels it judged (offset None: too few to judge)."""
    h, w = expected.shape[:2]
    xi0, yi0 = np.floor(x).astype(int), np.floor(y).astype(int)
    inside = (x >= MARGIN) & (y >= MARGIN) & (x < w - MARGIN) & (y < h - MARGIN)
    edge = step(expected) >= EDGE_STEP
    if under is not None:  # the layer's own edges, not the photo's (nor the photo's under an opaque layer)
        edge &= step(expected - under) >= EDGE_STEP
    edges = cv2.dilate(edge.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    judged = inside & edges[np.clip(yi0, 0, h - 1), np.clip(xi0, 0, w - 1)]
    if judged.sum() < 200:  # no edges in view: nothing to tell a shift by
        return None, 0.0, int(judged.sum())
    errors = {}
    seen, xj, yj = drawn[judged], xi0[judged], yi0[judged]  # (once, not once an offset)
    flat = expected.reshape(h * w, -1)
    for dx, dy in OFFSETS:
        differ = seen - flat[np.clip(yj + dy, 0, h - 1) * w + np.clip(xj + dx, 0, w - 1)]
        differ -= np.median(differ, axis=0).astype(np.int32)  # less a bias (block means are truncated)
        errors[(dx, dy)] = float(channel_max(np.abs(differ)).mean())
    best = min(errors, key=lambda o: (round(errors[o], 6), abs(o[0]) + abs(o[1])))  # a tie: the nearest
    return best, errors[best], int(judged.sum())


def shown_at(image: np.ndarray, x: np.ndarray) -> np.ndarray:
    """int32 `image` as a view of `x` (image columns of the viewport's pixels) shows it: below 1:1
    the display shows block means of n x n image pixels (the display pyramid), so each pixel is
    compared with the mean of the n x n pixels around it, not with the one pixel under its centre
    (whose neighbour may explain a block mean better)."""
    n = int(np.floor(x[0, 1] - x[0, 0] + 1e-6))
    if n > 1:
        image = cv2.blur(image, (n, n), borderType=cv2.BORDER_REPLICATE)
    return image.astype(np.int32)


def on_boundaries(coords: np.ndarray) -> bool:
    """Whether some viewport pixel centres fall on image pixel boundaries (which pixel Qt samples
    there is a rounding: either neighbour)."""
    fraction = coords - np.floor(coords)
    return bool(np.any((fraction < 0.01) | (fraction > 0.99)))


def check_layers(window: MainWindow, qtbot, rgb: np.ndarray, zoom: str | float,  # noqa: ANN001
                 composites: dict[str, np.ndarray]) -> list[str]:
    """Every layer with an array, alone: where it is drawn off the image's grid (see module doc).
    `composites`: each layer's composite over `rgb` by name, made at the first zoom that needs it and
    kept for the next ones (the same image and maps at every zoom; ~0.05 s each)."""
    ctl, stack = window.analysis, window.analysis.layers
    set_zoom(window, qtbot, zoom)
    hole = ctl.arrays.get("hole")
    if zoom == 400.0 and hole is not None and hole.any():  # where the maps have edges: the τ hole
        rows, cols = np.nonzero(hole)
        centre = window.canvas.view_box.viewRect().center()
        window.canvas.view_box.translateBy(x=float(np.median(cols)) - centre.x(), y=float(np.median(rows)) - centre.y())
    for layer in stack:
        stack.set_visible(layer.name, False)
    drawn = grab(window, qtbot)
    x, y = image_coords(window)  # after a paint: pyqtgraph updates the view's transform lazily
    image_offset, _, _ = best_offset(drawn, shown_at(rgb, x), x, y)
    # below 1:1 a screen pixel shows n x n image pixels: an offset under n image pixels is no
    # screen pixel (and block means of smooth maps match several within it)
    # (the block means are modelled roughly here: their colours are not compared)
    slack = max(0, int(np.floor(x[0, 1] - x[0, 0] + 1e-6)) - 1)
    if image_offset is None:  # a flat part of the photo in view: pixel centres on image pixel
        image_offset = (-1 if on_boundaries(x) else 0, -1 if on_boundaries(y) else 0)  # boundaries read either
        slack = max(slack, 1 if image_offset != (0, 0) else 0)
    problems = []
    for layer in stack:
        if layer.name not in ctl.arrays:
            continue
        stack.set_visible(layer.name, True)
        stack.set_opacity(layer.name, 1.0)
        curve = outline_item(window.canvas.overlay(OVERLAY_PREFIX + layer.name))
        if curve is not None:
            curve.hide()  # the fill alone (the outline is checked on the square)
        alone = LayerStack()
        for other in alone:
            alone.set_visible(other.name, other.name == layer.name)
            other.outline = None
        alone.set_opacity(layer.name, 1.0)
        if layer.name not in composites:
            composites[layer.name] = composite(rgb, alone, ctl.arrays)
        expected = shown_at(composites[layer.name], x)
        offset, error, judged = best_offset(grab(window, qtbot), expected, x, y, shown_at(rgb, x))
        stack.set_visible(layer.name, False)
        if offset is None:
            continue  # flat where it is in view
        if max(abs(offset[0] - image_offset[0]), abs(offset[1] - image_offset[1])) > slack or (
                error > 3.0 and not slack):
            problems.append(f"{zoom}: {layer.name} drawn at {offset} (image {image_offset}), mean error "
                            f"{error:.2f} over {judged} pixels")
    return problems


@pytest.mark.parametrize("name", [
    # "wide" is slow (7 s on 2 busy cores); the default keeps "portrait" of the same check
    "portrait", pytest.param("wide", marks=pytest.mark.slow)])
def test_every_layer_is_the_core_map_on_the_image_grid(qtbot, make_window, tmp_path: Path, name: str) -> None:
    rgb, prediction = predicted(name)
    window = open_image(qtbot, make_window, tmp_path, rgb)
    window.analysis._show(prediction)
    arrays = window.analysis.arrays
    assert {"probability", "focus map", "separated background", "foreground energy /32", "τ contour"} <= set(arrays)
    for array in arrays.values():
        assert array.shape[:2] == rgb.shape[:2]  # the core's maps are at the image's size
    assert arrays["probability"] is prediction.probability and arrays["focus map"] is prediction.focus_map
    problems, composites = [], {}
    for zoom in ("fit", 100.0, 400.0, "fit"):  # the pyramid's levels come and go: still aligned
        problems += check_layers(window, qtbot, rgb, zoom, composites)
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["odd", "strip", "big"])
def test_every_layer_on_the_grid_more_sizes(qtbot, make_window, tmp_path: Path, name: str) -> None:
    rgb, prediction = predicted(name)
    window = open_image(qtbot, make_window, tmp_path, rgb)
    window.analysis._show(prediction)
    problems, composites = [], {}
    for zoom in ("fit", 100.0, 400.0):
        problems += check_layers(window, qtbot, rgb, zoom, composites)
    assert not problems, "\n".join(problems)


def square_window(qtbot, make_window, tmp_path: Path) -> tuple[MainWindow, tuple[int, int, int, int]]:  # noqa: ANN001
    """A window on a 517 x 333 grey image with a bright square (x0, y0, x1, y1), shown with a
    prediction whose mask and τ hole are that square."""
    x0, y0, x1, y1 = 201, 101, 281, 162
    rgb = np.full((333, 517, 3), 90, np.uint8)
    rgb[y0:y1, x0:x1] = 250
    window = open_image(qtbot, make_window, tmp_path, rgb)
    square = np.zeros(rgb.shape[:2], bool)
    square[y0:y1, x0:x1] = True
    window.analysis._show(Prediction(probability=np.where(square, 0.9, 0.05).astype(np.float32),
                                     hole=square, tau=0.15))
    return window, (x0, y0, x1, y1)


def test_mask_and_tau_contour_lie_over_the_bright_square(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    """At fit, 100 and 400 %, in turn in one window (they were 3 tests, a window each)."""
    window, (x0, y0, x1, y1) = square_window(qtbot, make_window, tmp_path)
    for zoom in ("fit", 100.0, 400.0):
        _outlines_on_the_square(window, qtbot, zoom, (x0, y0, x1, y1))


def _outlines_on_the_square(window: MainWindow, qtbot, zoom: str | float,  # noqa: ANN001
                            square: tuple[int, int, int, int]) -> None:
    x0, y0, x1, y1 = square
    set_zoom(window, qtbot, zoom)
    if zoom == 400.0:  # the square's centre in the middle of the view
        centre = window.canvas.view_box.viewRect().center()
        window.canvas.view_box.translateBy(x=(x0 + x1) / 2 - centre.x(), y=(y0 + y1) / 2 - centre.y())
    stack = window.analysis.layers
    for name in ("prediction mask", "τ contour"):
        stack.set_visible(name, True)
        colour = np.array(stack[name].outline_rgb())
        drawn = grab(window, qtbot)
        x, y = image_coords(window)  # after a paint: pyqtgraph updates the view's transform lazily
        per_pixel = float(x[0, 1] - x[0, 0])  # image pixels per screen pixel
        line = np.abs(drawn - colour).max(axis=2) <= 4  # the outline's own colour
        assert line.sum() > 50, (zoom, name)
        # the line is centred on the square's edge pixels: 2 screen pixels wide at most, so it
        # reaches at most a screen pixel (or the edge pixel itself) beyond the square
        reach = max(per_pixel, 1.0) + 0.5
        assert x[line].min() >= x0 - reach and x[line].max() <= x1 + reach, (zoom, name, x[line].min(), x[line].max())
        assert y[line].min() >= y0 - reach and y[line].max() <= y1 + reach, (zoom, name, y[line].min(), y[line].max())
        # and it runs along all four sides
        assert x[line].min() <= x0 + 1 + per_pixel and x[line].max() >= x1 - 1 - per_pixel, (zoom, name)
        assert y[line].min() <= y0 + 1 + per_pixel and y[line].max() >= y1 - 1 - per_pixel, (zoom, name)
        stack.set_visible(name, False)


@pytest.mark.parametrize("zoom", [100.0, 400.0])
def test_hover_reads_the_map_at_the_pixel_under_the_cursor(qtbot, make_window, tmp_path: Path, zoom: float) -> None:
    rgb, prediction = predicted("portrait")
    window = open_image(qtbot, make_window, tmp_path, rgb)
    window.analysis._show(prediction)
    set_zoom(window, qtbot, zoom)
    grab(window, qtbot)
    x, y = image_coords(window)
    h, w = rgb.shape[:2]
    seen = []
    window.canvas.hovered.connect(lambda px, py: seen.append((px, py)))
    energy = prediction.foreground_energy[32]
    left, top = max(0, int(np.ceil(x.min()))), max(0, int(np.ceil(y.min())))
    right, bottom = min(w - 1, int(np.floor(x.max())) - 1), min(h - 1, int(np.floor(y.max())) - 1)
    corners = [(left, top), (right, bottom), (right, top), (left, bottom)]
    spread = [(int(a), int(b)) for a, b in zip(np.linspace(left, right, 5), np.linspace(top, bottom, 5), strict=True)]
    for px, py in corners + spread:
        QTest.mouseMove(window.canvas.viewport(), viewport_pos(window, px, py))
        qtbot.wait(50)  # Qt drops a synthetic move that follows another at once
        qtbot.waitUntil(lambda px=px, py=py: bool(seen) and seen[-1] == (px, py), timeout=2000)
        text = window.analysis.hover_label.text()
        assert f"p {prediction.probability[py, px]:.3f}" in text, (px, py, text)
        assert f"focus {prediction.focus_map[py, px]:.3f}" in text and f"/32 {energy[py, px]:.2f}" in text


def test_legend_ranges_are_the_data_ranges(qtbot, make_window, tmp_path: Path) -> None:
    rgb, prediction = predicted("portrait")
    window = open_image(qtbot, make_window, tmp_path, rgb)
    window.analysis._show(prediction)
    layer_list = window.analysis.layer_list
    for name in ("probability", "focus map"):
        layer_list.select(name)
        assert (layer_list.legend.low.text(), layer_list.legend.high.text()) == ("0", "1")
    for stride, energy in prediction.foreground_energy.items():
        layer_list.select(f"foreground energy /{stride}")
        # a map whose maximum is not known yet (its full array not drawn yet: a loaded machine) is measured on
        # the worker, the legend saying "max" meanwhile: its answer waited for
        qtbot.waitUntil(lambda: layer_list._measuring is None, timeout=10_000)
        assert layer_list.legend.high.text() == f"{float(energy.max()):.3g} (max)"


def test_legend_of_an_all_zero_energy_says_its_max_is_0(qtbot, make_window, tmp_path: Path) -> None:
    """An image with no τ hole has foreground energies of 0 everywhere (the strip crop, by the
    default model): drawn over 0..1 so that nothing shows, its legend said "1 (max)"."""
    rgb, prediction = predicted("strip")
    assert not prediction.hole.any() and not prediction.foreground_energy[32].any()
    window = open_image(qtbot, make_window, tmp_path, rgb)
    window.analysis._show(prediction)
    layer_list = window.analysis.layer_list
    layer_list.select("foreground energy /32")
    assert (layer_list.legend.low.text(), layer_list.legend.high.text()) == ("0", "0 (max)")


@pytest.mark.parametrize("name", ["prediction mask", "ground truth"])
def test_the_exported_outline_lies_on_the_mask_on_every_side(name: str) -> None:
    """Analysis ▸ Export View (:func:`composite`) draws a 2-pixel outline at the image's size: it
    grew from the mask's edge pixels down and right (a 2 x 2 dilation), so the right and bottom
    edges stood a pixel outside the mask and the left and top ones inside it, half a pixel off.
    Now it lies on the mask's edge pixels and the next ones in, on every side."""
    rgb = np.full((120, 160, 3), 90, np.uint8)
    box = np.zeros((120, 160), bool)
    box[31:90, 41:121] = True
    stack = LayerStack()
    for layer in stack:
        stack.set_visible(layer.name, layer.name == name)
    out = composite(rgb, stack, {name: box}).astype(int)
    line = np.abs(out - np.array(stack[name].outline_rgb())).max(axis=2) <= 1
    rows, cols = np.nonzero(line)
    assert (cols.min(), cols.max(), rows.min(), rows.max()) == (41, 120, 31, 89)  # not past the mask
    assert not line[~box].any()
    widths = [int(line[40:80, 41:50].any(axis=0).sum()), int(line[40:80, 112:121].any(axis=0).sum())]
    heights = [int(line[31:40, 60:90].any(axis=1).sum()), int(line[81:90, 60:90].any(axis=1).sum())]
    assert widths == [2, 2] and heights == [2, 2]  # as wide on every side


def test_ground_truth_and_error_map_on_the_image_grid(qtbot, make_window, tmp_path: Path) -> None:
    """A demo photo and its label cut to 317 x 489 (a SmokeSeg pair of an odd size): the ground
    truth and the error map against it are drawn where the label says, at 1:1 and 400 %."""
    from fosp_core.analysis.results import read_label
    from fosp_core.io.masks import write_mask_png

    photo = sorted(DEMO.glob("*.jpg"))[1]  # smoke at columns 7-149, rows 235-368
    folder = tmp_path / "pair"
    for sub in ("JPEGImages", "SegmentationClass"):
        (folder / sub).mkdir(parents=True)
    rgb = cv2.cvtColor(cv2.imread(str(photo)), cv2.COLOR_BGR2RGB)[11:500, 3:320].copy()
    label = read_label(DEMO.parent / "SegmentationClass" / f"{photo.stem}.png")[11:500, 3:320]
    assert label is not None and (label == 1).any()
    cv2.imwrite(str(folder / "JPEGImages" / "pair.png"), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    write_mask_png(folder / "SegmentationClass" / "pair.png", label)
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.open_paths([folder / "JPEGImages" / "pair.png"], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=20000)
    for layer in window.analysis.layers:
        window.analysis.layers.set_visible(layer.name, False)
    window.analysis._show(predictor().predict(rgb, need="all"))
    arrays = window.analysis.arrays
    assert np.array_equal(arrays["ground truth"], label == 1) and "error map" in arrays
    problems, composites = [], {}
    for zoom in (100.0, 400.0):
        problems += check_layers(window, qtbot, rgb, zoom, composites)
    assert not problems, "\n".join(problems)
