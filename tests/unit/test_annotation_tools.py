"""Every tool on the real demo masks, without Qt: known pixel results, one undo step each."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from fosp_core.annotation import cleanup, tools
from fosp_core.annotation.document import AnnotationDocument
from fosp_core.io.masks import read_mask


@pytest.fixture(scope="module")
def masks(demo_dir) -> list[np.ndarray]:
    return [read_mask(p) for p in sorted((demo_dir / "SegmentationClass").glob("*.png"))]


@pytest.fixture()
def mask(masks) -> np.ndarray:
    """The real mask with the most smoke."""
    return max(masks, key=lambda m: int((m == 1).sum())).copy()


def _prob_from(mask: np.ndarray) -> np.ndarray:
    """A smooth probability map shaped like the real label (blurred indicator)."""
    return cv2.GaussianBlur((mask == 1).astype(np.float32), (0, 0), 6)


def _check_one_step(doc: AnnotationDocument, before: np.ndarray) -> None:
    assert doc.history.undo_count == 1
    doc.undo()
    np.testing.assert_array_equal(doc.mask, before)


def test_real_masks_have_smoke(masks):
    assert len(masks) == 4 and all((m == 1).any() for m in masks)


def test_brush_dot_is_a_disk_and_only_the_disk(mask):
    doc = AnnotationDocument(mask.shape, mask)
    tools.brush(doc, [(200.4, 100.6)], radius=7, value=255)
    yy, xx = np.mgrid[:512, :512]
    d2 = (xx - 200) ** 2 + (yy - 101) ** 2
    changed = doc.mask != mask
    assert (doc.mask[d2 <= 6.5**2] == 255).all()
    assert not changed[d2 > 7.5**2].any()
    _check_one_step(doc, mask)


def test_brush_segment_covers_the_capsule(mask):
    doc = AnnotationDocument(mask.shape, mask)
    stroke = tools.BrushStroke(doc, 5)
    rect1 = stroke.add_point(50, 400)
    rect2 = stroke.add_point(150, 420)
    assert rect1 == (395, 406, 45, 56)
    assert rect2 is not None and rect2[0] >= 395 and rect2[1] <= 426 and rect2[2] >= 45 and rect2[3] <= 156
    assert stroke.finish()
    for t in np.linspace(0, 1, 50):  # the centre line is painted
        x, y = 50 + 100 * t, 400 + 20 * t
        assert doc.mask[int(round(y)), int(round(x))] == 1
    assert doc.history.undo_count == 1


def test_eraser_clears_real_smoke(mask):
    ys, xs = np.nonzero(mask == 1)
    cy, cx = int(np.median(ys)), int(np.median(xs))
    doc = AnnotationDocument(mask.shape, mask)
    tools.erase(doc, [(cx, cy)], radius=4)
    assert (doc.mask[cy - 2:cy + 3, cx - 2:cx + 3] == 0).all()
    removed = (mask == 1) & (doc.mask == 0)
    assert removed.any() and not ((doc.mask != mask) & ~removed).any()
    _check_one_step(doc, mask)


def test_threshold_aware_brush_paints_only_above_t(mask):
    prob = _prob_from(mask)
    doc = AnnotationDocument(mask.shape, np.zeros_like(mask), prob)
    ys, xs = np.nonzero(mask == 1)
    cy, cx = int(np.median(ys)), int(np.median(xs))
    tools.brush(doc, [(cx - 60, cy), (cx + 60, cy)], radius=40, only_where_prob_above=0.5)
    painted = doc.mask == 1
    assert painted.any()
    assert (prob[painted] > 0.5).all()
    window = np.zeros_like(painted)
    window[cy - 35:cy + 36, cx - 55:cx + 56] = True
    assert painted[window & (prob > 0.5)].all()


def test_ignore_brush_writes_255(mask):
    doc = AnnotationDocument(mask.shape, mask)
    tools.ignore_brush(doc, [(10, 10), (30, 10)], radius=2)
    assert doc.mask[10, 20] == 255 and doc.mask[10, 10] == 255 and doc.mask[15, 20] == mask[15, 20]


def test_polygon_fill_and_cut_exact(mask):
    doc = AnnotationDocument(mask.shape, np.zeros_like(mask))
    assert tools.polygon_fill(doc, [(10, 20), (19, 20), (19, 29), (10, 29)])
    assert int(doc.mask.sum()) == 100 and (doc.mask[20:30, 10:20] == 1).all()
    assert tools.polygon_cut(doc, [(10, 20), (14, 20), (14, 29), (10, 29)])
    assert int(doc.mask.sum()) == 50 and (doc.mask[20:30, 15:20] == 1).all()
    assert doc.history.undo_count == 2


def test_lasso_cut_on_real_mask_removes_inside_only(mask):
    doc = AnnotationDocument(mask.shape, mask)
    t = np.linspace(0, 2 * np.pi, 200, endpoint=False)
    path = [(256 + 80 * np.cos(a), 256 + 60 * np.sin(a)) for a in t]
    tools.lasso_cut(doc, path)
    inside = np.zeros_like(mask)
    cv2.fillPoly(inside, [np.array([(round(x), round(y)) for x, y in path], np.int32)], 1)
    np.testing.assert_array_equal(doc.mask[inside == 1], 0)
    np.testing.assert_array_equal(doc.mask[inside == 0], mask[inside == 0])


def test_flood_fill_takes_one_4_connected_component(mask):
    count, labels = cv2.connectedComponents((mask == 1).astype(np.uint8), connectivity=4)
    sizes = np.bincount(labels.ravel())
    sizes[0] = 0
    big = int(np.argmax(sizes))
    ys, xs = np.nonzero(labels == big)
    doc = AnnotationDocument(mask.shape, mask)
    region = tools.flood_fill(doc, xs[0], ys[0], value=0)
    assert region.area == sizes[big]
    np.testing.assert_array_equal(doc.mask == 0, (mask == 0) | (labels == big))
    _check_one_step(doc, mask)


def test_wand_region_matches_connected_band(mask):
    prob = _prob_from(mask)
    doc = AnnotationDocument(mask.shape, np.zeros_like(mask), prob)
    ys, xs = np.nonzero(mask == 1)
    y, x = int(ys[len(ys) // 2]), int(xs[len(xs) // 2])
    tol = 0.2
    region = tools.wand(doc, x, y, tol)
    band = (np.abs(prob - prob[y, x]) <= tol).astype(np.uint8)
    _, labels = cv2.connectedComponents(band, connectivity=4)
    expected = labels == labels[y, x]
    np.testing.assert_array_equal(region.full(mask.shape), expected)
    np.testing.assert_array_equal(doc.mask == 1, expected)
    assert tools.wand_region(doc, x, y, 0.5).area >= region.area  # a wider tolerance grows the region


def test_threshold_to_mask_keeps_ignore_and_accept_prediction_replaces(mask):
    prob = _prob_from(mask)
    start = mask.copy()
    start[:5] = 255
    doc = AnnotationDocument(mask.shape, start, prob)
    cleanup.threshold_to_mask(doc, 0.5)
    assert (doc.mask[:5] == 255).all()
    np.testing.assert_array_equal(doc.mask[5:], (prob[5:] > 0.5).astype(np.uint8))
    cleanup.accept_prediction(doc, 0.5)
    np.testing.assert_array_equal(doc.mask, (prob > 0.5).astype(np.uint8))
    assert doc.history.undo_count == 2


def test_copy_mask_replaces_in_one_step_and_refuses_another_size(masks):
    doc = AnnotationDocument(masks[0].shape, masks[0].copy())
    source = masks[1].copy()
    assert cleanup.copy_mask(doc, source, source="frame 1")
    np.testing.assert_array_equal(doc.mask, masks[1])
    source[:] = 0
    assert (doc.mask == masks[1]).all()  # a copy, not a view of the source
    assert not cleanup.copy_mask(doc, masks[1])  # the same mask again changes nothing
    _check_one_step(doc, masks[0])
    with pytest.raises(ValueError, match=r"the mask of frame 9 is 256×128 px and this image is 512×512 px"):
        cleanup.copy_mask(doc, np.zeros((128, 256), np.uint8), source="frame 9")
    np.testing.assert_array_equal(doc.mask, masks[0])


def test_fill_holes_fills_enclosed_only(mask):
    start = mask.copy()
    start[start == 255] = 0
    ys, xs = np.nonzero(cv2.erode((start == 1).astype(np.uint8), np.ones((15, 15), np.uint8)))
    cy, cx = int(ys[0]), int(xs[0])
    start[cy - 2:cy + 3, cx - 2:cx + 3] = 0  # a 5x5 hole inside the smoke
    start[0:3, 0:3] = 1  # smoke touching the corner; the background around it touches the border
    doc = AnnotationDocument(mask.shape, start)
    expected = start.copy()
    non_smoke = (start != 1).astype(np.uint8)
    _, labels = cv2.connectedComponents(non_smoke, connectivity=4)
    border = set(np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]])))
    holes = (labels > 0) & ~np.isin(labels, list(border))
    expected[holes] = 1
    assert cleanup.fill_holes(doc)
    np.testing.assert_array_equal(doc.mask, expected)
    assert (doc.mask[cy - 2:cy + 3, cx - 2:cx + 3] == 1).all()
    doc.undo()
    cleanup.fill_holes(doc, max_area=24)  # the 25-pixel hole is too big
    assert doc.mask[cy, cx] == 0
    cleanup.fill_holes(doc, max_area=25)
    assert doc.mask[cy, cx] == 1


def test_remove_specks_removes_small_components_only(mask):
    start = mask.copy()
    start[500:502, 10:12] = 1  # a 4-pixel speck
    doc = AnnotationDocument(mask.shape, start)
    _, labels, stats, _ = cv2.connectedComponentsWithStats((start == 1).astype(np.uint8), connectivity=8)
    small = stats[:, cv2.CC_STAT_AREA] < 20
    small[0] = False
    assert cleanup.remove_specks(doc, 20)
    assert (doc.mask[500:502, 10:12] == 0).all()
    np.testing.assert_array_equal(doc.mask == 1, (start == 1) & ~small[labels])


def test_dilate_and_erode_known_shapes():
    m = np.zeros((40, 40), np.uint8)
    m[20, 20] = 1
    m[0, 0] = 255
    doc = AnnotationDocument(m.shape, m)
    cleanup.dilate(doc, 1)
    assert int((doc.mask == 1).sum()) == 5  # 3x3 ellipse = cross
    cleanup.dilate(doc, 3)
    cleanup.erode(doc, 3)
    assert int((doc.mask == 1).sum()) == 5
    assert doc.mask[0, 0] == 255
    square = np.zeros((40, 40), np.uint8)
    square[10:30, 10:30] = 1
    doc2 = AnnotationDocument(square.shape, square)
    cleanup.erode(doc2, 2)
    assert (doc2.mask[12:28, 12:28] == 1).all() and int(doc2.mask.sum()) == 16 * 16
    corner = np.zeros((40, 40), np.uint8)
    corner[:20, :20] = 1
    doc3 = AnnotationDocument(corner.shape, corner)
    cleanup.erode(doc3, 2)  # the image border does not eat the smoke
    assert (doc3.mask[:18, :18] == 1).all() and int(doc3.mask.sum()) == 18 * 18


def test_smooth_removes_jags_keeps_body(mask):
    start = (mask == 1).astype(np.uint8)
    start[::7, ::7] ^= 1  # salt-and-pepper jags
    doc = AnnotationDocument(mask.shape, start)
    cleanup.smooth(doc, 2)
    body = cv2.erode((mask == 1).astype(np.uint8), np.ones((9, 9), np.uint8)) == 1
    assert (doc.mask[body] == 1).all()
    far = cv2.dilate((mask == 1).astype(np.uint8), np.ones((9, 9), np.uint8)) == 0
    assert (doc.mask[far] == 0).all()
    _check_one_step(doc, start)


def test_tools_need_probability():
    doc = AnnotationDocument((10, 10))
    with pytest.raises(ValueError, match="probability"):
        tools.wand(doc, 1, 1, 0.1)
    with pytest.raises(ValueError, match="probability"):
        cleanup.accept_prediction(doc)
    with pytest.raises(ValueError, match="outside"):
        tools.flood_fill(doc, 10, 3)
