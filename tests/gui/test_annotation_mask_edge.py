"""The annotation mask is edged at full opacity in its own colours, over its fill at the user's
opacity: at 50 % the red smoke fill was 7.7 ΔE00 from a demo image's terrain to a protanope and the
cream ignore fill 6.0 from its smoke to a tritanope (tests/unit/test_layers_colours.py), so where a
label ended was hard to see. Before, the opacity was set on the whole layer and nothing on the
canvas was drawn in the mask's colours opaque.

The edge stays visible at zoom to fit of a 12 MP image, follows every edit incrementally (the same
band as computed from scratch), and "Outline only" shows it without the fill."""

from __future__ import annotations

import numpy as np
import pytest

from app.annotation.mask_edge import EDGE_IGNORE, EDGE_SMOKE, block_max, edge_codes
from app.annotation.mask_layer import MaskLayer
from app.canvas import Canvas
from fosp_core.analysis.layers import ANNOTATION_EDGE_WIDTH, ANNOTATION_IGNORE, ANNOTATION_SMOKE
from tests.gui.canvas_helpers import assert_as_drawn_directly
from tests.gui.canvas_helpers import pixels as bgr_pixels

GREY = 128
H, W = 3000, 4000  # 12 MP


def pixels(canvas: Canvas) -> np.ndarray:
    return bgr_pixels(canvas)[..., ::-1]  # BGR -> RGB


def _zoom(canvas: Canvas, qtbot, percent: float | None) -> None:  # noqa: ANN001
    """Zoom (None: to fit) and wait until the zoom preview, if any, has been drawn exactly."""
    canvas.fit() if percent is None else canvas.set_zoom(percent)
    qtbot.wait(10)
    canvas.viewport().repaint()
    qtbot.waitUntil(lambda: not canvas.compositor.previewing, timeout=10_000)


def _near(shot: np.ndarray, rgb: tuple[float, float, float], tolerance: int = 3) -> np.ndarray:
    return (np.abs(shot.astype(int) - np.asarray(rgb)) <= tolerance).all(axis=-1)


def _blend(rgb: tuple[int, int, int], alpha: float) -> tuple[float, float, float]:
    r, g, b = (alpha * c + (1 - alpha) * GREY for c in rgb)
    return (r, g, b)


@pytest.fixture
def shown(qtbot):  # noqa: ANN001, ANN201
    """A 4000x3000 grey image at zoom to fit, with a smoke rectangle and an ignore rectangle in the
    annotation mask at 50 %."""
    canvas = Canvas()
    qtbot.addWidget(canvas)
    canvas.resize(640, 400)
    canvas.show()
    canvas.set_image(np.full((H, W, 3), GREY, np.uint8))
    mask = np.zeros((H, W), np.uint8)
    mask[600:2400, 400:2000] = 1
    mask[600:2400, 2400:3600] = 255
    layer = MaskLayer(canvas)
    layer.set_opacity(0.5)
    layer.set_mask(mask)
    _zoom(canvas, qtbot, None)
    return canvas, layer


def _ring(found: np.ndarray) -> tuple[int, int, int, int]:
    """The bounding box (top, bottom, left, right, inclusive) of `found`, after checking that every
    row and column through it has a found pixel at both of its ends: an unbroken rectangle's edge."""
    rows, cols = np.flatnonzero(found.any(axis=1)), np.flatnonzero(found.any(axis=0))
    top, bottom, left, right = rows[0], rows[-1], cols[0], cols[-1]
    box = found[top:bottom + 1, left:right + 1]
    assert box[:, :2].any(axis=1).all() and box[:, -2:].any(axis=1).all()  # left and right sides
    assert box[:2].any(axis=0).all() and box[-2:].any(axis=0).all()  # top and bottom
    return int(top), int(bottom), int(left), int(right)


def test_the_edge_is_opaque_over_a_translucent_fill_at_zoom_to_fit(shown) -> None:  # noqa: ANN001
    canvas, layer = shown
    shot = assert_as_drawn_directly(canvas)[..., ::-1]  # BGR -> RGB
    for colour in (ANNOTATION_SMOKE, ANNOTATION_IGNORE):
        top, bottom, left, right = _ring(_near(shot, colour))  # failed before: no opaque pixel at all
        assert right - left > 100 and bottom - top > 100  # the rectangle's edge, at 640 / 4000
        inside = shot[(top + bottom) // 2, left + 4:right - 3]
        assert _near(inside, _blend(colour, 0.5), 4).all()  # the fill at 50 %
    layer.set_opacity(0.8)  # above the default (below it the edge fades with the fill: test_annotation_mask_opacity_zero)
    again = pixels(canvas)
    for colour in (ANNOTATION_SMOKE, ANNOTATION_IGNORE):
        np.testing.assert_array_equal(_near(again, colour), _near(shot, colour))  # the edge as it was
    top, bottom, left, right = _ring(_near(again, ANNOTATION_SMOKE))
    assert _near(again[(top + bottom) // 2, left + 4:right - 3], _blend(ANNOTATION_SMOKE, 0.8), 4).all()


def test_outline_only_shows_the_edge_without_the_fill(shown) -> None:  # noqa: ANN001
    canvas, layer = shown
    filled = pixels(canvas)
    layer.set_outline(True)
    shot = assert_as_drawn_directly(canvas)[..., ::-1]  # BGR -> RGB
    for colour in (ANNOTATION_SMOKE, ANNOTATION_IGNORE):
        np.testing.assert_array_equal(_near(shot, colour), _near(filled, colour))
        top, bottom, left, right = _ring(_near(shot, colour))
        assert _near(shot[(top + bottom) // 2, left + 4:right - 3], (GREY, GREY, GREY), 1).all()
    layer.set_outline(False)
    np.testing.assert_array_equal(pixels(canvas), filled)


def test_at_1_1_the_edge_is_its_width_in_screen_pixels_inside_the_region(shown, qtbot) -> None:  # noqa: ANN001
    canvas, layer = shown
    _zoom(canvas, qtbot, 100)  # around the image's centre, (2000, 1500): the smoke's right side
    assert canvas.zoom_percent() == pytest.approx(100)
    shot = pixels(canvas)
    row = shot[shot.shape[0] // 2]
    red = np.flatnonzero(_near(row, ANNOTATION_SMOKE))
    blend = np.flatnonzero(_near(row, _blend(ANNOTATION_SMOKE, 0.5), 4))
    assert len(red) == ANNOTATION_EDGE_WIDTH and np.all(np.diff(red) == 1)
    assert len(blend) > 100 and blend[-1] == red[0] - 1  # the band ends the fill, inside the region
    assert _near(row[red[-1] + 1:], (GREY, GREY, GREY), 1).all()  # nothing outside it
    assert layer.pixel_rgba(1999, 1500)[3] == layer.pixel_rgba(1998, 1500)[3] == 255  # the band
    assert layer.pixel_rgba(1997, 1500) == (*ANNOTATION_SMOKE, 255)  # the fill, before its opacity
    assert layer.pixel_rgba(2000, 1500)[3] == 0
    assert layer.edge[1500, 1996:2001].tolist() == [0, 0, EDGE_SMOKE, EDGE_SMOKE, 0]


def test_the_edge_follows_edits_as_computed_from_scratch(qtbot) -> None:
    """Random discs painted, ignored and erased, each redrawn through its rectangle only: the edge
    shown is always the whole mask's, and an empty mask leaves no edge tile shown."""
    canvas = Canvas()
    qtbot.addWidget(canvas)
    mask = np.zeros((700, 1100), np.uint8)  # 2 x 3 tiles
    layer = MaskLayer(canvas)
    layer.set_mask(mask)
    rng = np.random.default_rng(1)
    yy, xx = np.mgrid[:700, :1100]
    for step in range(40):
        cy, cx, r = int(rng.integers(0, 700)), int(rng.integers(0, 1100)), int(rng.integers(3, 60))
        mask[(yy - cy) ** 2 + (xx - cx) ** 2 <= r * r] = (1, 255, 0)[step % 3]
        layer.update_rect((cy - r, cy + r + 1, cx - r, cx + r + 1))
        np.testing.assert_array_equal(layer.edge, edge_codes(mask), err_msg=f"step {step}")
        if step == 20:
            layer.set_outline(True)
    mask[:] = 0
    layer.set_mask(mask.copy())  # the next frame, empty, in "Outline only"
    assert not layer.edge.any()
    assert not any(child.isVisible() for child in layer.root.childItems())


def test_an_edit_that_changes_nothing_shown_hands_back_no_tile(qtbot) -> None:
    canvas = Canvas()
    qtbot.addWidget(canvas)
    mask = np.zeros((1500, 2000), np.uint8)
    layer = MaskLayer(canvas)
    layer.set_mask(mask)
    mask[100:200, 100:200] = 1
    assert layer.update_rect((100, 200, 100, 200)) == [(0, 0)]
    assert layer.update_rect((120, 180, 120, 180)) == []  # brushing over smoke already there
    mask[500:530, 505:530] = 255  # across the corner of four tiles
    assert layer.update_rect((500, 530, 505, 530)) == [(0, 0), (0, 1), (1, 0), (1, 1)]


def test_the_edge_codes_and_their_block_maximum() -> None:
    mask = np.zeros((8, 10), np.uint8)
    mask[1:7, 1:5] = 1
    mask[1:7, 5:9] = 255
    codes = edge_codes(mask, width=1)
    assert codes[0].sum() == 0 and codes[3, 2] == 0  # outside; deep inside
    assert codes[3, 1] == codes[3, 4] == EDGE_SMOKE and codes[3, 5] == codes[3, 8] == EDGE_IGNORE
    whole = np.ones((4, 4), np.uint8)
    assert not edge_codes(whole).any()  # the array's border is not an edge
    single = np.zeros((6, 9), np.uint8)
    single[4, 7] = EDGE_SMOKE
    single[0, 0] = EDGE_IGNORE
    small = block_max(single, 3, 3)
    assert small.shape == (2, 3) and small[1, 2] == EDGE_SMOKE and small[0, 0] == EDGE_IGNORE
    assert small.sum() == EDGE_SMOKE + EDGE_IGNORE
