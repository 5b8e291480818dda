"""Accept Prediction's "no smoke predicted" check (`app.annotation.commands.accept_prediction`)
reads the rectangle the step changed, not the whole mask: every pixel it compares is counted
through an array wrapper, and the message is said exactly when the accepted mask has no smoke."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import cv2
import numpy as np
import pytest

from app.annotation import commands
from fosp_core.annotation.document import AnnotationDocument, Status
from fosp_core.io.masks import read_mask

SHAPE = (900, 1200)


class Counted(np.ndarray):
    """A view of the mask that adds the size of each of its arrays a ufunc reads to `reads`."""

    reads: list[int] = []
    counting = False

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: object, **kwargs: object) -> object:
        if Counted.counting:
            Counted.reads += [x.size for x in inputs if isinstance(x, Counted)]
        plain = [x.view(np.ndarray) if isinstance(x, Counted) else x for x in inputs]
        return getattr(ufunc, method)(*plain, **kwargs)


class Host:
    """The few parts of the annotation controller `accept_prediction` uses; pixels it reads are
    counted once the operation (the accept itself) has run."""

    def __init__(self, doc: AnnotationDocument, threshold: float = 0.5) -> None:
        self.document = doc
        self.state = SimpleNamespace(threshold=threshold)
        self.said: list[str] = []
        self.message = SimpleNamespace(emit=lambda text, ms: self.said.append(text))
        self.attached = False

    def editable(self, needs_probability: bool = False) -> AnnotationDocument:
        return self.document

    def run(self, label: str, operation: Callable[[AnnotationDocument], object],
            needs_probability: bool = False) -> bool:
        changed = bool(operation(self.document))
        Counted.counting = True
        return changed


@pytest.fixture()
def counted(monkeypatch):
    """Documents whose `mask` is a counting view; yields the list of reads."""
    mask_property = AnnotationDocument.mask
    monkeypatch.setattr(AnnotationDocument, "mask", property(lambda d: mask_property.fget(d).view(Counted)))
    Counted.reads, Counted.counting = [], False
    yield Counted.reads
    Counted.counting = False


@pytest.fixture()
def label(demo_dir) -> np.ndarray:
    mask = read_mask(sorted((demo_dir / "SegmentationClass").glob("*.png"))[0])
    return cv2.resize(mask, SHAPE[::-1], interpolation=cv2.INTER_NEAREST)


def plume(rect: tuple[int, int, int, int]) -> np.ndarray:
    """A probability that is 0.9 in `rect` (y0, y1, x0, x1), 0 elsewhere."""
    probability = np.zeros(SHAPE, np.float32)
    y0, y1, x0, x1 = rect
    probability[y0:y1, x0:x1] = 0.9
    return probability


def test_new_smoke_is_found_reading_only_the_changed_rectangle(counted) -> None:
    doc = AnnotationDocument(SHAPE, probability=plume((700, 800, 1000, 1150)))
    host = Host(doc)
    assert commands.accept_prediction(host)
    assert host.said == [] and doc.status == Status.PREDICTED
    assert 0 < sum(counted) <= 100 * 150  # the changed rectangle; the whole mask is 1 080 000


def test_a_prediction_without_smoke_is_said_reading_each_pixel_once(counted, label) -> None:
    doc = AnnotationDocument(SHAPE, mask=label, probability=np.zeros(SHAPE, np.float32))
    host = Host(doc)
    assert commands.accept_prediction(host)  # the smoke is cleared
    read = sum(counted)
    Counted.counting = False
    assert not (doc.mask == 1).any()
    assert [s for s in host.said if "no smoke predicted" in s]
    assert read == SHAPE[0] * SHAPE[1]


def test_an_unlabeled_empty_mask_with_an_empty_prediction_is_said(counted) -> None:
    doc = AnnotationDocument(SHAPE, probability=np.zeros(SHAPE, np.float32))
    host = Host(doc)
    assert commands.accept_prediction(host)  # a status-only step: no rectangle
    assert doc.status == Status.PREDICTED
    assert [s for s in host.said if "no smoke predicted" in s]
    assert sum(counted) == SHAPE[0] * SHAPE[1]


def test_smoke_kept_outside_the_changed_rectangle_is_found(counted, label) -> None:
    """The prediction takes smoke away in one place only: the step's rectangle holds none, the
    rest of the mask (unchanged) still does; no message."""
    probability = (label == 1).astype(np.float32)
    ys, xs = np.nonzero(label == 1)
    y, x = int(ys[0]), int(xs[0])
    probability[y:y + 3, x:x + 3] = 0.0
    doc = AnnotationDocument(SHAPE, mask=label, probability=probability)
    host = Host(doc)
    assert commands.accept_prediction(host)
    read = sum(counted)
    Counted.counting = False
    step_rect = doc.history.newest.rect
    assert not (doc.mask[step_rect[0]:step_rect[1], step_rect[2]:step_rect[3]] == 1).any()
    assert host.said == []
    assert read <= SHAPE[0] * SHAPE[1]
