"""Accept Prediction as a prepared step (`cleanup.prediction_step` + `AnnotationDocument.commit_prepared`):
the same undo step, events and commit as the step the document records itself (`_take_prediction`
inside a history block, kept for a caller's open step), prepared without writing the mask, and never
committed over a mask that changed since it was prepared."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation import cleanup
from fosp_core.annotation.document import AnnotationDocument, StaleStep, Status
from fosp_core.annotation.prepared import TILE, tile_patches

PHOTO = "ckakldp3vdjmg0b12dcxe2tgz"  # a real camera photo, 12 % smoke


def scene(shared_data: Path, width: int = 1200, height: int = 900) -> tuple[np.ndarray, np.ndarray]:
    """(probability, a drawn mask) from a SMOKE5K label: smoke with real edges, the drawn mask the
    label itself with an ignore band (the prediction differs at the edges)."""
    gt = cv2.imread(str(shared_data / "smoke5k-train" / "gt" / f"{PHOTO}.png"), cv2.IMREAD_GRAYSCALE)
    label = cv2.resize((gt > 127).astype(np.uint8), (width, height), interpolation=cv2.INTER_NEAREST)
    blurred = cv2.GaussianBlur(label.astype(np.float32), (0, 0), width / 100)
    noise = cv2.resize(np.random.default_rng(0).random((24, 32), np.float32), (width, height))
    probability = np.clip(0.8 * blurred + 0.35 * (noise - 0.5), 0.0, 1.0).astype(np.float32)
    drawn = label.copy()
    drawn[40:60, 100:700] = 255
    return probability, drawn


def recorded(doc: AnnotationDocument) -> list[tuple[str, object]]:
    """Every event and commit `doc` sends from now on, in order."""
    seen: list[tuple[str, object]] = []
    doc.events.connect(lambda e: seen.append((e.kind, e.rect)))
    doc.committed.connect(lambda c: seen.append(("commit", (c.kind, c.label, c.revision))))
    return seen


def the_step_the_document_records(doc: AnnotationDocument, probability: np.ndarray, threshold: float) -> bool:
    """Accept Prediction as before this change: written inside a history block, its patches cut from
    the block's tile snapshots."""
    with doc.history_block("accept prediction"):
        changed = cleanup._take_prediction(doc, probability, threshold)
        if changed or doc.status == Status.UNLABELED:
            doc.set_status(Status.PREDICTED)
            changed = True
    return changed


@pytest.mark.parametrize("start", ["empty", "drawn"])
@pytest.mark.parametrize("threshold", [0.5, 0.3])
def test_prepared_accept_records_the_same_step(shared_data: Path, start: str, threshold: float) -> None:
    probability, drawn = scene(shared_data)
    mask = np.zeros_like(drawn) if start == "empty" else drawn
    status = Status.UNLABELED if start == "empty" else Status.EDITED
    old = AnnotationDocument(mask.shape, mask=mask, probability=probability, status=status)
    new = AnnotationDocument(mask.shape, mask=mask, probability=probability, status=status)
    old_seen, new_seen = recorded(old), recorded(new)
    assert the_step_the_document_records(old, probability, threshold)
    assert cleanup.accept_prediction(new, threshold)
    np.testing.assert_array_equal(new.mask, (probability > threshold).astype(np.uint8))
    np.testing.assert_array_equal(new.mask, old.mask)
    assert new_seen == old_seen
    a, b = old.history.newest, new.history.newest
    assert (b.label, b.status_before, b.status_after) == (a.label, a.status_before, a.status_after)
    assert [p.rect for p in b.patches] == [p.rect for p in a.patches]
    for p, q in zip(a.patches, b.patches, strict=True):
        np.testing.assert_array_equal(q.old, p.old)
        np.testing.assert_array_equal(q.new, p.new)
    assert new.history.nbytes == old.history.nbytes
    for doc in (old, new):  # undo and redo as before
        assert doc.undo()
        np.testing.assert_array_equal(doc.mask, mask)
        assert doc.status == status
        assert doc.redo()
        np.testing.assert_array_equal(doc.mask, (probability > threshold).astype(np.uint8))
    assert new_seen == old_seen


def test_prediction_step_only_reads_the_mask(shared_data: Path) -> None:
    probability, drawn = scene(shared_data)
    doc = AnnotationDocument(drawn.shape, mask=drawn, probability=probability, status=Status.EDITED)
    before, version, seen = doc.mask.copy(), doc.mask_version, recorded(doc)
    step = cleanup.prediction_step(doc.mask, probability, 0.5, version=version, status=doc.status)
    assert step is not None and step.patches and step.status == Status.PREDICTED
    np.testing.assert_array_equal(doc.mask, before)
    assert (doc.mask_version, doc.history.undo_count, seen) == (version, 0, [])


def test_a_stale_prepared_step_is_refused_and_changes_nothing(shared_data: Path) -> None:
    probability, drawn = scene(shared_data)
    doc = AnnotationDocument(drawn.shape, mask=drawn, probability=probability, status=Status.EDITED)
    step = cleanup.prediction_step(doc.mask, probability, 0.5, version=doc.mask_version, status=doc.status)
    assert step is not None
    doc.apply_patch((0, 10, 0, 10), 1, label="brush")  # the mask changed after the step was read
    after_brush, seen = doc.mask.copy(), recorded(doc)
    with pytest.raises(StaleStep):
        doc.commit_prepared(step)
    np.testing.assert_array_equal(doc.mask, after_brush)
    assert (doc.history.labels(), doc.status, seen) == (["brush"], Status.EDITED, [])
    doc.begin_step("stroke")  # an open step: refused too
    fresh = cleanup.prediction_step(doc.mask, probability, 0.5, version=doc.mask_version, status=doc.status)
    with pytest.raises(StaleStep):
        doc.commit_prepared(fresh)
    doc.end_step()


def test_nothing_to_accept_on_a_labelled_image_records_nothing(shared_data: Path) -> None:
    probability, _ = scene(shared_data)
    accepted = (probability > 0.5).astype(np.uint8)
    doc = AnnotationDocument(accepted.shape, mask=accepted, probability=probability, status=Status.EDITED)
    assert cleanup.prediction_step(doc.mask, probability, 0.5, version=doc.mask_version, status=doc.status) is None
    assert not cleanup.accept_prediction(doc, 0.5)
    blank = AnnotationDocument(accepted.shape, probability=np.zeros_like(probability))  # smoke-free, unlabeled
    assert cleanup.accept_prediction(blank, 0.5)
    assert (blank.status, blank.history.newest.patches) == (Status.PREDICTED, [])


def test_tile_patches_keep_only_the_changed_box_of_each_tile() -> None:
    mask = np.zeros((3 * TILE, 3 * TILE), np.uint8)
    new = np.zeros((2 * TILE, 2 * TILE), np.uint8)
    new[10:12, 20:25] = 1  # one small change, in the rectangle's first tile
    patches = tile_patches(mask, (TILE // 2, TILE // 2 + 2 * TILE, TILE // 2, TILE // 2 + 2 * TILE), new)
    assert [p.rect for p in patches] == [(TILE // 2 + 10, TILE // 2 + 12, TILE // 2 + 20, TILE // 2 + 25)]
    assert sum(p.nbytes for p in patches) < 400  # 10 pixels' old and new values and the patch
