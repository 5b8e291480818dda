"""Whole-mask changes of the annotation mask (a video frame stepped, another image's mask opened,
"Outline only", the opacity) after the opaque edge made them slower (session 24, V1).

The codes are now computed in strips into reused buffers, an opacity change recolours the tiles'
pictures (before: every shown tile was downsampled again, 13-21 ms at 12 MP), and a mask of another
shape moves the tiles it can instead of making new ones. These check that what is shown stays the
from-scratch result, and count the work (no timing: bench/bench_annotation_mask_edge.py times it)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from app.annotation.mask_edge import EDGE_IGNORE, EDGE_SMOKE, FILL_IGNORE, FILL_SMOKE, edge_codes
from app.annotation.mask_layer import TILE, MaskLayer
from app.canvas import Canvas
from fosp_core.analysis.layers import ANNOTATION_EDGE_WIDTH, ANNOTATION_SMOKE
from tests.gui.canvas_helpers import pixels
from tests.gui.mask_work_counts import count_mask_work


def reference_codes(mask: np.ndarray, outline: bool, width: int = ANNOTATION_EDGE_WIDTH) -> np.ndarray:
    """The display codes by definition, in plain numpy: a non-zero pixel with a pixel of another
    value within 4-distance `width` (the image's border repeated outwards) is its region's edge,
    any other non-zero pixel its fill (nothing in "Outline only")."""
    height, width_px = mask.shape
    rows, cols = np.arange(height), np.arange(width_px)
    near_other = np.zeros(mask.shape, bool)
    for dy in range(-width, width + 1):
        for dx in range(-(width - abs(dy)), width - abs(dy) + 1):
            moved = mask[np.clip(rows + dy, 0, height - 1)][:, np.clip(cols + dx, 0, width_px - 1)]
            near_other |= moved != mask
    fill = np.where(mask == 1, FILL_SMOKE, np.where(mask == 255, FILL_IGNORE, 0)).astype(np.uint8)
    edge = np.where(near_other & (mask == 1), EDGE_SMOKE, np.where(near_other & (mask == 255), EDGE_IGNORE, 0))
    return np.where(edge > 0, edge, 0 if outline else fill).astype(np.uint8)


def random_mask(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """Plumes (smoke ellipses with an ignore band), ignore blocks, one running off the image, or nothing."""
    mask = np.zeros(shape, np.uint8)
    height, width = shape
    if rng.random() < 0.15:
        return mask
    for _ in range(int(rng.integers(1, 4))):
        centre = (int(rng.integers(0, width)), int(rng.integers(0, height)))
        axes = (int(rng.integers(5, width // 2)), int(rng.integers(5, height // 2)))
        angle = int(rng.integers(0, 180))
        cv2.ellipse(mask, centre, axes, angle, 0, 360, 1, -1)
        cv2.ellipse(mask, centre, axes, angle, 0, 360, 255, int(rng.integers(1, 8)))
    y, x = int(rng.integers(0, height)), int(rng.integers(0, width))
    mask[y:y + int(rng.integers(1, 300)), x:x + int(rng.integers(1, 300))] = (0, 1, 255)[int(rng.integers(0, 3))]
    return mask


def shown_codes(layer: MaskLayer, shape: tuple[int, int]) -> np.ndarray:
    """The codes the visible tiles show, put together (0 where no tile is shown)."""
    out = np.zeros(shape, np.uint8)
    for tile in layer.root.childItems():
        if tile.isVisible():
            left, top = int(tile.pos().x()), int(tile.pos().y())
            height, width = tile.image.shape
            assert top % TILE == 0 and left % TILE == 0 and top + height <= shape[0] and left + width <= shape[1]
            out[top:top + height, left:left + width] = tile.image
    return out


def test_the_reference_is_what_edge_codes_computes() -> None:
    rng = np.random.default_rng(3)
    for _ in range(20):
        mask = random_mask(rng, (int(rng.integers(20, 120)), int(rng.integers(20, 120))))
        for width in (1, 2, 3):
            np.testing.assert_array_equal(edge_codes(mask, width), reference_codes(mask, True, width))


def test_whole_mask_changes_show_the_codes_computed_from_scratch(qtbot) -> None:  # noqa: ANN001
    """Random frames of one shape (over 1 M pixels: cut to the content's box, computed in several
    strips), masks of other shapes, no mask, "Outline only" and opacity toggled in between: the
    tiles show exactly the from-scratch codes and a tile with nothing to show is hidden."""
    canvas = Canvas()
    qtbot.addWidget(canvas)
    layer = MaskLayer(canvas)
    rng = np.random.default_rng(11)
    shapes = [(1100, 1000), (1030, 1100), (700, 900)]
    outline = False
    for step in range(30):
        roll = rng.random()
        if roll < 0.1:
            layer.set_mask(None)
            assert not any(tile.isVisible() or tile.image is not None for tile in layer.root.childItems())
            continue
        if roll < 0.2:
            outline = not outline
            layer.set_outline(outline)
        elif roll < 0.3:
            layer.set_opacity(float(rng.choice([0.2, 0.5, 0.9])))
        shape = shapes[0] if rng.random() < 0.6 else shapes[int(rng.integers(0, len(shapes)))]
        mask = random_mask(rng, shape)
        layer.set_mask(mask)
        expected = reference_codes(mask, outline)
        np.testing.assert_array_equal(layer.edge, reference_codes(mask, True), err_msg=f"step {step}")
        np.testing.assert_array_equal(shown_codes(layer, shape), expected, err_msg=f"step {step}")
        for _ in range(int(rng.integers(0, 3))):  # edits after a whole change: still the whole mask's codes
            if rng.random() < 0.5:  # a brush's rectangle
                y, x, h, w = int(rng.integers(0, shape[0])), int(rng.integers(0, shape[1])), 40, 60
            else:  # a large one (over 1 M pixels, cut to what is there), not the whole mask
                y, x, h, w = int(rng.integers(0, 40)), int(rng.integers(0, 40)), shape[0] - 40, shape[1] - 40
                mask[y:y + h, x:x + w] = random_mask(rng, (h, w))
            mask[y:y + 40, x:x + 60] = (1, 255, 0)[int(rng.integers(0, 3))]
            layer.update_rect((y, y + h, x, x + w))
            np.testing.assert_array_equal(shown_codes(layer, shape), reference_codes(mask, outline))


@pytest.fixture
def at_fit(qtbot):  # noqa: ANN001, ANN201
    """A 2000x1500 grey image at zoom to fit of a 640x400 canvas (tiles drawn downsampled), a plume in
    the annotation mask at 50 %, drawn once."""
    canvas = Canvas()
    qtbot.addWidget(canvas)
    canvas.resize(640, 400)
    canvas.show()
    canvas.set_image(np.full((1500, 2000, 3), 128, np.uint8))
    layer = MaskLayer(canvas)
    layer.set_opacity(0.5)
    mask = np.zeros((1500, 2000), np.uint8)
    cv2.ellipse(mask, (1000, 700), (700, 400), 20, 0, 360, 1, -1)
    layer.set_mask(mask)
    canvas.fit()
    qtbot.wait(10)
    pixels(canvas)
    return canvas, layer, mask


def test_an_opacity_change_computes_no_code_and_downsamples_no_tile(at_fit, monkeypatch) -> None:  # noqa: ANN001
    canvas, layer, mask = at_fit
    counts = count_mask_work(monkeypatch)
    moved = np.roll(mask, 30, axis=1)
    layer.set_mask(moved)  # a frame step: the counters see the work it does
    before = pixels(canvas)
    assert counts["codes"] > 0 and counts["block_max"] > 0
    counts.update(codes=0, block_max=0)
    layer.set_opacity(0.9)
    after = pixels(canvas)
    assert counts == {"codes": 0, "block_max": 0}  # before: every shown tile downsampled again
    centre = (200, 320)  # the plume's middle at fit, the fill
    fill_at = [round(a * 0.9 + 128 * 0.1) for a in ANNOTATION_SMOKE][::-1]  # BGR
    assert np.abs(after[centre].astype(int) - fill_at).max() <= 3  # the fill recoloured
    assert np.abs(before[centre].astype(int) - after[centre].astype(int)).max() > 10
    np.testing.assert_array_equal(layer.edge, reference_codes(moved, True))


def test_a_mask_of_another_shape_moves_the_tiles_it_can(qtbot) -> None:  # noqa: ANN001
    """A 1100x1000 mask (3 x 2 tiles), then 1000x1100 (2 x 3): the same six tiles, moved; no mask:
    none holds an image; 600x500 (2 x 1): two of them, the rest let go; 1100x1000 again: those two
    and four new. Before, every new shape made all its tiles anew."""
    canvas = Canvas()
    qtbot.addWidget(canvas)
    layer = MaskLayer(canvas)
    rng = np.random.default_rng(5)
    layer.set_mask(random_mask(rng, (1100, 1000)))
    first = set(layer.root.childItems())
    assert len(first) == 6
    mask = random_mask(rng, (1000, 1100))
    layer.set_mask(mask)
    assert set(layer.root.childItems()) == first
    np.testing.assert_array_equal(shown_codes(layer, mask.shape), reference_codes(mask, False))
    layer.set_mask(None)
    assert all(tile.image is None and not tile.isVisible() for tile in layer.root.childItems())
    mask = np.ones((600, 500), np.uint8)
    layer.set_mask(mask)
    kept = set(layer.root.childItems())
    assert len(kept) == 2 and kept <= first
    assert all(tile.scene() is None for tile in first - kept)
    np.testing.assert_array_equal(shown_codes(layer, mask.shape), reference_codes(mask, False))
    mask = random_mask(rng, (1100, 1000))
    layer.set_mask(mask)
    now = set(layer.root.childItems())
    assert len(now) == 6 and kept <= now
    np.testing.assert_array_equal(shown_codes(layer, mask.shape), reference_codes(mask, False))
