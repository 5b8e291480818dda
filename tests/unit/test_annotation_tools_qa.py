"""Annotation tools QA: exact brush geometry (against reference rasterisers), strokes beyond the image,
pixel ownership of points on pixel edges, bit-exact undo over long mixed sequences, bounded history."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable

import cv2
import numpy as np
import pytest

from fosp_core.annotation import cleanup, tools
from fosp_core.annotation.document import AnnotationDocument
from fosp_core.data.types import BACKGROUND, IGNORE, SMOKE


def _capsule(shape: tuple[int, int], a: tuple[int, int], b: tuple[int, int], r: int) -> np.ndarray:
    """Reference: pixels whose centre lies within r of the segment a-b (points (x, y); float math)."""
    yy, xx = np.mgrid[:shape[0], :shape[1]].astype(float)
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = np.clip(((xx - a[0]) * dx + (yy - a[1]) * dy) / length2, 0, 1) if length2 else 0.0
    return (xx - a[0] - t * dx) ** 2 + (yy - a[1] - t * dy) ** 2 <= r * r + 1e-9


def _peak_bytes(work: Callable[[], object]) -> int:
    """The most memory numpy and Python held at once while `work` ran, above what was held before
    (tracemalloc; a count, not a time, so it cannot flake on a busy machine)."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("value", [SMOKE, BACKGROUND, IGNORE])
def test_a_stroke_segment_is_exactly_the_swept_disc(value: int) -> None:
    """A diagonal stroke of radius 3 was 4.2 px wide on each side (cv2.line with thickness 2r+1)."""
    rng = np.random.default_rng(7)
    start = 0 if value else 1
    for _ in range(60):
        r = int(rng.integers(1, 16))
        a, b = (tuple(int(v) for v in rng.integers(20, 100, 2)) for _ in range(2))
        doc = AnnotationDocument((120, 120), mask=np.full((120, 120), start, np.uint8))
        tools.brush(doc, [a, b], r, value)
        np.testing.assert_array_equal(doc.mask == value, _capsule(doc.shape, a, b, r), err_msg=f"{a} {b} r={r}")


def test_the_45_degree_stroke_is_as_wide_as_the_dot() -> None:
    doc = AnnotationDocument((100, 100))
    tools.brush(doc, [(30, 30), (60, 60)], 3)
    # across the diagonal at (50, 50): |y - 50| / sqrt(2) <= 3, rows 46..54 in column 50
    assert np.flatnonzero(doc.mask[:, 50]).tolist() == list(range(46, 55))


def test_strokes_beyond_the_border_are_clipped_exactly() -> None:
    rng = np.random.default_rng(3)
    for _ in range(100):
        r = int(rng.integers(1, 30))
        a, b = (tuple(int(v) for v in rng.integers(-60, 110, 2)) for _ in range(2))
        doc = AnnotationDocument((40, 50))
        tools.brush(doc, [a, b], r)
        big = _capsule((400, 400), (a[0] + 200, a[1] + 200), (b[0] + 200, b[1] + 200), r)
        np.testing.assert_array_equal(doc.mask == SMOKE, big[200:240, 200:250], err_msg=f"{a} {b} r={r}")


def test_a_stroke_to_a_point_far_outside_the_image_is_cheap() -> None:
    """Zoomed out, a drag past the canvas edge reaches tens of thousands of pixels outside: the segment's
    whole bounding box was allocated (MemoryError for 136 TiB, or seconds of frozen GUI)."""
    doc = AnnotationDocument((200, 200))
    peak = _peak_bytes(lambda: tools.brush(doc, [(100, 100), (-30000, -30000), (-3e7, 5e6), (150, 150)], 5))
    assert peak < 4_000_000, f"{peak} bytes for a 200x200 mask"  # the segment's box: 900 MB and more
    assert doc.mask[100, 100] == SMOKE and doc.mask[0, 0] == SMOKE
    assert doc.history.undo_count == 1


def test_a_point_on_a_pixel_edge_belongs_to_the_right_lower_pixel() -> None:
    """Python's round() sends halves to even: x = 0.5 went to pixel 0 and x = 1.5 to pixel 2."""
    assert [tools.pixel_xy((v, v)) for v in (0.5, 1.5, 2.5, -0.5, 2.49)] == [(1, 1), (2, 2), (3, 3), (0, 0), (2, 2)]
    doc = AnnotationDocument((8, 8))
    tools.brush(doc, [(2.5, 0.5)], 0)
    assert np.argwhere(doc.mask).tolist() == [[1, 3]]


def test_a_lasso_far_outside_the_image_fills_the_inside_part_exactly_and_fast() -> None:
    """The footprint was the polygon's whole bounding box (30 000 x 30 000 px: 7 s, 900 MB); polygons of a
    sane size are still filled exactly as on an unclipped canvas."""
    polygon = [(100, 100), (-30000, 100), (100, -30000)]
    doc = AnnotationDocument((200, 200))
    filled: list[object] = []
    peak = _peak_bytes(lambda: filled.append(tools.polygon_fill(doc, polygon)))
    assert filled[0]
    assert peak < 4_000_000, f"{peak} bytes for a 200x200 mask"  # the polygon's box: 900 MB
    small = [(100, 100), (-300, 100), (100, -300)]  # the same shape inside the image part
    ref = np.zeros((600, 600), np.uint8)
    cv2.fillPoly(ref, [np.array(small, np.int32) + 400], 1)
    assert (doc.mask != ref[400:600, 400:600]).sum() <= 2 * 200  # the edges crossing the border may move by 1
    for rng_seed in range(40):  # random polygons crossing the border: the clipped fill of the unclipped one
        rng = np.random.default_rng(rng_seed)
        pts = [tuple(int(v) for v in rng.integers(-80, 130, 2)) for _ in range(int(rng.integers(3, 9)))]
        doc = AnnotationDocument((40, 50))
        tools.polygon_fill(doc, pts)
        ref = np.zeros((400, 400), np.uint8)
        cv2.fillPoly(ref, [np.array(pts, np.int32) + 200], 1)
        np.testing.assert_array_equal(doc.mask, ref[200:240, 200:250], err_msg=str(pts))


@pytest.mark.parametrize("px", [1, 2, 3, 5, 8, 12])
def test_dilate_and_erode_by_px_use_the_brush_disc(px: int) -> None:
    """'Grow by px pixels (disk)' grew to pixels up to px + 0.4 away (OpenCV's MORPH_ELLIPSE)."""
    dot = AnnotationDocument((64, 64))
    tools.brush(dot, [(30, 30)], px)
    doc = AnnotationDocument((64, 64))
    tools.brush(doc, [(30, 30)], 0)
    assert cleanup.dilate(doc, px)
    np.testing.assert_array_equal(doc.mask, dot.mask)
    full = np.ones((64, 64), np.uint8)
    full[30, 30] = BACKGROUND
    doc = AnnotationDocument((64, 64), mask=full)
    assert cleanup.erode(doc, px)
    np.testing.assert_array_equal(doc.mask == BACKGROUND, dot.mask == SMOKE)


def test_the_autosave_encode_checks_values_cheaply_and_still_refuses_bad_ones() -> None:
    """encode_mask_png validated a 4000x3000 mask with np.bincount (28 ms of the ~75 ms a stroke's
    autosave holds the GUI thread): bincount widens the mask to int64 first, a 96 MB copy (8 bytes a
    pixel). The check holds less than 2 bytes a pixel at once (the times and the memory of the ways
    to write it: bench/bench_mask_check.py); every value outside 0/1/255 is still refused."""
    from fosp_core.io.masks import MaskWriteError, _check_mask

    mask = np.zeros((3000, 4000), np.uint8)
    mask[1000:2000, 1000:2500] = SMOKE
    mask[:10] = IGNORE
    checked: list[np.ndarray] = []
    peak = _peak_bytes(lambda: checked.append(_check_mask(mask, "<memory>")))
    assert checked[0] is mask
    assert peak < 2 * mask.nbytes, f"the check held {peak} bytes for a {mask.nbytes}-byte mask"
    for bad in (2, 128, 254):
        wrong = mask.copy()
        wrong[2996, 3995] = bad
        with pytest.raises(MaskWriteError, match=str(bad)):
            _check_mask(wrong, "<memory>")
        with pytest.raises(MaskWriteError, match=str(bad)):
            _check_mask(wrong[::7, ::5], "<memory>")  # a non-contiguous view


def test_the_autosave_check_refuses_every_value_but_0_1_255_in_any_row_block() -> None:
    """The check walks the mask in blocks of rows (bench/bench_mask_check.py): a stray value in the
    last row of a later block, or the only one in a 1-row mask, is found; 0, 1 and 255 pass."""
    from fosp_core.io.masks import MaskWriteError, _check_mask

    wide = np.zeros((3, 140_000), np.uint8)  # 1 row a 256 KiB block: 3 blocks
    for value in range(256):
        for mask in (wide, np.full((1, 3), IGNORE, np.uint8)):
            mask[-1, -1] = value
            if value in (0, SMOKE, IGNORE):
                assert _check_mask(mask, "<memory>") is mask
            else:
                with pytest.raises(MaskWriteError, match=f"\\[{value}\\]"):
                    _check_mask(mask, "<memory>")


def _random_edit(doc: AnnotationDocument, rng: np.random.Generator, kind: int) -> bool | tools.Region:
    """One of 9 tool calls (kind 0..8) with random settings."""
    pts = [tuple(int(v) for v in rng.integers(-30, 430, 2)) for _ in range(int(rng.integers(1, 5)))]
    x, y, value = int(rng.integers(0, doc.width)), int(rng.integers(0, doc.height)), int(rng.choice([0, 1, 255]))
    if kind == 0:
        return tools.brush(doc, pts, int(rng.integers(0, 25)), value)
    if kind == 1:
        return tools.polygon_fill(doc, [*pts, (x, y), (y, x)], value)
    if kind == 2:
        return tools.flood_fill(doc, x, y, value, connectivity=int(rng.choice([4, 8])))
    if kind == 3:
        return tools.wand(doc, x, y, float(rng.random() * 0.3), value)
    if kind == 4:
        return cleanup.fill_holes(doc)
    if kind == 5:
        return cleanup.remove_specks(doc, int(rng.integers(1, 60)))
    if kind == 6:
        return cleanup.dilate(doc, int(rng.integers(1, 5)))
    if kind == 7:
        return cleanup.erode(doc, int(rng.integers(1, 5)))
    return cleanup.smooth(doc, float(rng.random() * 3))


def test_undo_redo_restore_every_state_bit_exactly_after_a_long_mixed_sequence() -> None:
    """Seeded fuzz: 250 tool calls, undos and redos; the mask after each is checked against a model
    stack of snapshots, then everything is undone to the start and redone to the end."""
    rng = np.random.default_rng(11)
    h, w = 300, 400
    start = np.zeros((h, w), np.uint8)
    start[100:200, 100:250] = SMOKE
    start[150:160, 120:130] = IGNORE
    doc = AnnotationDocument((h, w), mask=start, probability=rng.random((h, w)).astype(np.float32))
    done, undone = [start.copy()], []
    for _ in range(250):
        kind = int(rng.integers(0, 11))
        if kind == 9:
            if doc.undo():
                undone.append(done.pop())
        elif kind == 10:
            if doc.redo():
                done.append(undone.pop())
        else:
            changed = _random_edit(doc, rng, kind)
            differs = not np.array_equal(doc.mask, done[-1])
            if not isinstance(changed, tools.Region):
                assert changed == differs, kind
            if differs:
                done.append(doc.mask.copy())
                undone = []
        np.testing.assert_array_equal(doc.mask, done[-1])
    assert doc.history.undo_count == len(done) - 1
    for expected in reversed(done[:-1]):
        assert doc.undo()
        np.testing.assert_array_equal(doc.mask, expected)
    for expected in done[1:]:
        assert doc.redo()
        np.testing.assert_array_equal(doc.mask, expected)


def test_painting_what_is_already_there_reports_no_change() -> None:
    """polygon_fill returned True and add_point a dirty rectangle when every pixel already had the value."""
    doc = AnnotationDocument((50, 50), mask=np.ones((50, 50), np.uint8))
    assert tools.polygon_fill(doc, [(5, 5), (40, 5), (20, 40)], SMOKE) is False
    stroke = tools.BrushStroke(doc, 4, SMOKE)
    assert stroke.add_point(20, 20) is None
    assert stroke.add_point(30, 25) is None
    assert stroke.finish() is False
    assert doc.history.undo_count == 0
    assert tools.polygon_fill(doc, [(5, 5), (40, 5), (20, 40)], IGNORE) is True
