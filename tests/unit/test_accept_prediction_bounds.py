"""Accept Prediction (fosp_core/annotation/cleanup.py) on large images: the mask, undo step and
events are what replacing the whole mask by ``p > threshold`` gave, from far less memory (it held
the GUI thread ~96 ms on a 4000x3000 photo: three full-size temporaries and a masked assignment)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation import cleanup
from fosp_core.annotation.document import AnnotationDocument, Status
from fosp_core.data.types import IGNORE, SMOKE
from fosp_core.io.masks import read_mask


def _old_accept(doc: AnnotationDocument, threshold: float) -> bool:
    """The implementation before: the whole prediction, then ``replace_mask``."""
    new_mask = (np.asarray(doc.probability) > threshold).astype(np.uint8)
    with doc.history_block("accept prediction"):
        changed = doc.replace_mask(new_mask, label="accept prediction")
        if changed or doc.status == Status.UNLABELED:
            doc.set_status(Status.PREDICTED)
            changed = True
    return changed


def _real_probability(demo_dir: Path, shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """A probability map and label of a real photo's smoke at `shape` (H, W)."""
    photo = sorted((demo_dir / "JPEGImages").glob("*.jpg"))[1]
    label = read_mask(demo_dir / "SegmentationClass" / f"{photo.stem}.png")
    label = cv2.resize(label, (shape[1], shape[0]), interpolation=cv2.INTER_NEAREST)
    blurred = cv2.GaussianBlur((label == 1).astype(np.float32), (0, 0), shape[1] / 60)
    noise = cv2.resize(np.random.default_rng(3).random((12, 16), np.float32), (shape[1], shape[0]))
    return np.clip(0.9 * blurred + 0.3 * (noise - 0.5), 0.0, 1.0).astype(np.float32), label


def _starts(label: np.ndarray, probability: np.ndarray) -> dict[str, np.ndarray]:
    """Masks an image may hold when Accept Prediction is pressed."""
    h, w = label.shape
    ignore_far = np.zeros_like(label)
    ignore_far[h - 7:h - 2, 3:40] = IGNORE  # ignore pixels far from the predicted smoke
    ignore_far[2:5, w - 9:w - 1] = SMOKE
    with_ignore = label.copy()
    with_ignore[h // 3:h // 3 + 20, w // 4:w // 2] = IGNORE
    return {"empty": np.zeros_like(label), "the label": label.copy(), "ignore far away": ignore_far,
            "the label with ignore": with_ignore, "the prediction": (probability > 0.5).astype(np.uint8)}


@pytest.mark.parametrize("threshold", [0.5, 0.2, 0.97, 1.0])
@pytest.mark.parametrize("status", [Status.UNLABELED, Status.EDITED])
def test_the_accepted_mask_events_and_undo_step_are_the_old_ones(demo_dir: Path, threshold: float,
                                                                  status: Status) -> None:
    probability, label = _real_probability(demo_dir, (300, 410))
    probability[5, 7] = np.nan  # a NaN is no smoke, and must not hide its row's smoke
    probability[5, 9] = 0.99
    for name, start in _starts(label, probability).items():
        docs = [AnnotationDocument(label.shape, mask=start, probability=probability, status=status)
                for _ in range(2)]
        events: list[list[tuple[str, object]]] = [[], []]
        for doc, seen in zip(docs, events, strict=True):
            doc.events.connect(lambda e, seen=seen: seen.append((e.kind, e.rect)))
        old = _old_accept(docs[0], threshold)
        new = cleanup.accept_prediction(docs[1], threshold)
        assert new == old, name
        np.testing.assert_array_equal(docs[1].mask, docs[0].mask, err_msg=name)
        assert events[1] == events[0], name
        assert docs[1].status == docs[0].status and docs[1].history.labels() == docs[0].history.labels(), name
        assert len(docs[1].history.labels()) == (1 if new else 0), name
        if new:
            assert docs[1].undo()
            np.testing.assert_array_equal(docs[1].mask, start, err_msg=name)
            assert docs[1].status == status and not docs[1].history.labels()


def test_prediction_mask_and_bounds_match_the_comparison(demo_dir: Path) -> None:
    probability, _ = _real_probability(demo_dir, (240, 320))
    probability[100, :] = np.nan
    for threshold in (0.0, 0.3, 0.5, 0.9, 1.0):
        expected = probability > threshold
        np.testing.assert_array_equal(cleanup.prediction_mask(probability, threshold), expected.astype(np.uint8))
        rows, cols = np.flatnonzero(expected.any(axis=1)), np.flatnonzero(expected.any(axis=0))
        bounds = cleanup.prediction_bounds(probability, threshold)
        assert bounds == (None if rows.size == 0 else (rows[0], rows[-1] + 1, cols[0], cols[-1] + 1))


def test_accepting_a_small_prediction_on_a_large_image_allocates_no_full_size_array() -> None:
    """4000x3000 with a plume in a 400x300 corner: before, the prediction as bool and uint8 and the
    changed-pixels array were each a full-size (12 MB) temporary."""
    h, w = 3000, 4000
    probability = np.zeros((h, w), np.float32)
    plume = cv2.GaussianBlur(np.pad(np.ones((200, 300), np.float32), 50), (0, 0), 20)
    probability[2600:2900, 3500:3900] = plume
    doc = AnnotationDocument((h, w), probability=probability)
    tracemalloc.start()
    try:
        assert cleanup.accept_prediction(doc, 0.5)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < h * w // 4, f"peak {peak / 1e6:.1f} MB"
    np.testing.assert_array_equal(doc.mask, (probability > 0.5).astype(np.uint8))
    assert doc.history.labels() == ["accept prediction"] and doc.status == Status.PREDICTED
