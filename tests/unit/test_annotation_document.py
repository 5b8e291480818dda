"""AnnotationDocument: events with dirty rectangles, undo steps, status, bounded patch history."""

from __future__ import annotations

import numpy as np
import pytest

from fosp_core.annotation.document import AnnotationDocument, DocumentEvent, Status
from fosp_core.annotation.history import History, Patch, Step
from fosp_core.annotation.tools import BrushStroke, brush
from fosp_core.io.masks import read_mask


@pytest.fixture()
def real_mask(demo_dir) -> np.ndarray:
    path = sorted((demo_dir / "SegmentationClass").glob("*.png"))[0]
    return read_mask(path)


def test_modify_emits_dirty_rect_and_is_one_step(real_mask):
    doc = AnnotationDocument(real_mask.shape, real_mask)
    events: list[DocumentEvent] = []
    commits = []
    doc.events.connect(events.append)
    doc.committed.connect(commits.append)
    with doc.modify((10, 20, 30, 50)) as view:
        view[...] = 255
    mask_events = [e for e in events if e.kind == "mask"]
    assert mask_events == [DocumentEvent("mask", (10, 20, 30, 50))]
    assert len(commits) == 1 and commits[0].kind == "edit"
    assert doc.status == Status.EDITED
    assert doc.history.undo_count == 1


def test_history_block_groups_changes_and_undo_redo_restore_exactly(real_mask):
    doc = AnnotationDocument(real_mask.shape, real_mask, status=Status.PREDICTED)
    original = real_mask.copy()
    with doc.history_block("two patches"):
        doc.apply_patch((0, 10, 0, 10), 1)
        doc.apply_patch((500, 512, 500, 512), 255)
    after = doc.mask.copy()
    assert doc.history.undo_count == 1 and doc.history.labels() == ["two patches"]
    assert doc.undo()
    np.testing.assert_array_equal(doc.mask, original)
    assert doc.status == Status.PREDICTED
    assert doc.redo()
    np.testing.assert_array_equal(doc.mask, after)
    assert doc.status == Status.EDITED
    assert not doc.redo()


def test_undo_redo_sequence_matches_snapshots(real_mask):
    rng = np.random.default_rng(3)
    doc = AnnotationDocument(real_mask.shape, real_mask)
    states = [doc.mask.copy()]
    for k in range(30):
        pts = rng.integers(0, 512, size=(4, 2))
        brush(doc, [tuple(p) for p in pts], radius=int(rng.integers(1, 20)), value=[0, 1, 255][k % 3])
        states.append(doc.mask.copy())
    for k in range(30, 10, -1):  # undo 20 steps
        assert doc.undo()
        np.testing.assert_array_equal(doc.mask, states[k - 1])
    for k in range(11, 16):  # redo 5
        assert doc.redo()
        np.testing.assert_array_equal(doc.mask, states[k])
    brush(doc, [(5, 5)], 3)  # a new edit drops the redo stack
    assert not doc.can_redo


def test_no_change_records_no_step(real_mask):
    doc = AnnotationDocument(real_mask.shape, real_mask)
    commits = []
    doc.committed.connect(commits.append)
    assert not doc.replace_mask(real_mask.copy())
    with doc.history_block("nothing"):
        pass
    assert doc.history.undo_count == 0 and commits == []
    assert doc.status == Status.UNLABELED


def test_cancel_step_restores_pixels(real_mask):
    doc = AnnotationDocument(real_mask.shape, real_mask)
    stroke = BrushStroke(doc, 15)
    stroke.add_point(100, 100)
    stroke.add_point(300, 200)
    assert not np.array_equal(doc.mask, real_mask)
    stroke.cancel()
    np.testing.assert_array_equal(doc.mask, real_mask)
    assert doc.history.undo_count == 0


def test_exception_in_block_cancels(real_mask):
    doc = AnnotationDocument(real_mask.shape, real_mask)
    with pytest.raises(RuntimeError), doc.history_block("boom"):
        doc.apply_patch((0, 50, 0, 50), 255)
        raise RuntimeError("tool failed")
    np.testing.assert_array_equal(doc.mask, real_mask)


def test_status_step_is_undoable():
    doc = AnnotationDocument((20, 30), status="predicted")
    doc.set_status(Status.REVIEWED)
    assert doc.status == Status.REVIEWED and doc.history.undo_count == 1
    doc.undo()
    assert doc.status == Status.PREDICTED


def test_mask_is_read_only_outside_the_document():
    doc = AnnotationDocument((10, 10))
    with pytest.raises(ValueError):
        doc.mask[0, 0] = 1


def test_wrong_shapes_are_rejected():
    with pytest.raises(ValueError, match="mask is"):
        AnnotationDocument((10, 10), np.zeros((10, 11), np.uint8))
    doc = AnnotationDocument((10, 10))
    with pytest.raises(ValueError, match="probability"):
        doc.set_probability(np.zeros((9, 10), np.float32))
    with pytest.raises(ValueError, match="not inside"):
        doc.apply_patch((5, 15, 0, 5), 1)


def test_small_stroke_on_big_mask_stores_only_the_changed_patch():
    doc = AnnotationDocument((3000, 4000))
    brush(doc, [(2000, 1500), (2040, 1510)], radius=10)
    step_rect = doc.history._undo[-1].rect
    y0, y1, x0, x1 = step_rect
    assert (y1 - y0, x1 - x0) == (10 + 21, 40 + 21)  # segment extent + brush diameter
    assert doc.history.nbytes < 10_000


def test_history_bounds_steps_and_bytes():
    history = History(max_steps=5, max_bytes=10**9)
    for _ in range(8):
        history.push(Step("s", [Patch.from_arrays((0, 1, 0, 1), np.zeros((1, 1), np.uint8),
                                                  np.ones((1, 1), np.uint8))]))
    assert history.undo_count == 5
    rng = np.random.default_rng(0)
    noisy = History(max_steps=1000, max_bytes=100_000)
    for _ in range(10):  # incompressible 100x100 patches, ~20 kB per step
        old, new = rng.integers(0, 256, (2, 100, 100), dtype=np.uint8)
        noisy.push(Step("noise", [Patch.from_arrays((0, 100, 0, 100), old, new)]))
    assert noisy.nbytes <= 100_000 and noisy.undo_count == 4


def test_more_than_200_undo_steps(real_mask):
    doc = AnnotationDocument(real_mask.shape, real_mask)
    for k in range(220):
        brush(doc, [(k * 2 % 500, k), (k * 2 % 500 + 5, k + 3)], radius=2, value=255)
    assert doc.history.undo_count == 220
    for _ in range(220):
        assert doc.undo()
    np.testing.assert_array_equal(doc.mask, real_mask)
