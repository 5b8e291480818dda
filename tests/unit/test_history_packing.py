"""The undo history's packed patches: undo and redo give back every mask exactly (random strokes,
fills, accepts, whole-image clean-ups and odd values, over seeds), a 0/1 patch costs at most a bit a
pixel, and 200 steps on a 4000x3000 mask stay within the README's memory bound (tracemalloc)."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable

import cv2
import numpy as np
import pytest

from fosp_core.annotation import cleanup, tools
from fosp_core.annotation.document import AnnotationDocument
from fosp_core.annotation.history import COMPRESS_MIN_BYTES, PATCH_OVERHEAD, Patch, _pack, _unpack
from fosp_core.io.masks import read_mask

Op = Callable[[AnnotationDocument, np.random.Generator], object]


def scene(demo_dir, shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """(mask, probability) of `shape` from a demo label: smoke with real edges, an ignore band and
    a few pixels of a value that is neither 0, 1 nor 255 (a mask may hold one)."""
    label = read_mask(sorted((demo_dir / "SegmentationClass").glob("*.png"))[1])
    mask = cv2.resize(label, (shape[1], shape[0]), interpolation=cv2.INTER_NEAREST)
    edge = cv2.dilate(mask, np.ones((9, 9), np.uint8)) != cv2.erode(mask, np.ones((9, 9), np.uint8))
    mask[edge] = 255
    mask[5:9, 5:300] = 7
    blurred = cv2.GaussianBlur((label == 1).astype(np.float32), (0, 0), 8)  # blurred small: fast
    probability = cv2.resize(blurred, (shape[1], shape[0]), interpolation=cv2.INTER_LINEAR)
    return mask, probability


def _point(doc: AnnotationDocument, rng: np.random.Generator) -> tuple[float, float]:
    return float(rng.uniform(-20, doc.width + 20)), float(rng.uniform(-20, doc.height + 20))


def stroke(doc: AnnotationDocument, rng: np.random.Generator) -> None:
    line = tools.BrushStroke(doc, float(rng.uniform(2, 120)), value=int(rng.choice([0, 1, 255])))
    for _ in range(int(rng.integers(1, 12))):
        line.add_point(*_point(doc, rng))
    line.finish()


def polygon(doc: AnnotationDocument, rng: np.random.Generator) -> None:
    tools.polygon_fill(doc, [_point(doc, rng) for _ in range(int(rng.integers(3, 9)))],
                       int(rng.choice([0, 1, 255])))


def accept(doc: AnnotationDocument, rng: np.random.Generator) -> None:
    cleanup.accept_prediction(doc, float(rng.uniform(0.05, 0.95)))


def clean_up(doc: AnnotationDocument, rng: np.random.Generator) -> None:
    [lambda: cleanup.dilate(doc, 3), lambda: cleanup.erode(doc, 2), lambda: cleanup.fill_holes(doc),
     lambda: cleanup.remove_specks(doc, 300)][int(rng.integers(4))]()


def odd_values(doc: AnnotationDocument, rng: np.random.Generator) -> None:
    """A rectangle of any byte values (neither 0/1 nor 0/1/255 packing fits them)."""
    y0, x0 = int(rng.integers(0, doc.height - 60)), int(rng.integers(0, doc.width - 60))
    h, w = int(rng.integers(1, 60)), int(rng.integers(1, 200))
    values = rng.integers(0, 256, (h, min(w, doc.width - x0)), dtype=np.uint8)
    doc.apply_patch((y0, y0 + h, x0, x0 + values.shape[1]), values, label="odd")


def mixed(doc: AnnotationDocument, rng: np.random.Generator) -> None:
    """One step of a stroke, then a fill over tiles the stroke touched, then an accept."""
    with doc.history_block("mixed"):
        stroke(doc, rng)
        polygon(doc, rng)
        accept(doc, rng)


def cancelled(doc: AnnotationDocument, rng: np.random.Generator) -> None:
    """A fill, then an accept, abandoned: the mask must come back as it was, nothing recorded."""
    before = doc.mask.copy()
    doc.begin_step("cancelled")
    polygon(doc, rng)
    accept(doc, rng)
    doc.cancel_step()
    np.testing.assert_array_equal(doc.mask, before)


OPS: list[Op] = [stroke, stroke, polygon, accept, clean_up, odd_values, mixed, cancelled]


@pytest.mark.parametrize("seed", range(8))
def test_undo_and_redo_give_back_every_mask_exactly(demo_dir, seed: int) -> None:
    """A random run of steps on a 1100x1500 mask (tiles cut at the right and bottom edges): undo
    walks back through every mask exactly, redo forward again; a step after undos drops the redo."""
    rng = np.random.default_rng(seed)
    mask, probability = scene(demo_dir, (1100, 1500))
    doc = AnnotationDocument(mask.shape, mask, probability)
    masks = [doc.mask.copy()]
    for _ in range(14):
        OPS[int(rng.integers(len(OPS)))](doc, rng)
        if doc.history.undo_count == len(masks):  # the step changed something
            masks.append(doc.mask.copy())
    assert doc.history.undo_count == len(masks) - 1 >= 8
    for expected in reversed(masks[:-1]):
        assert doc.undo()
        np.testing.assert_array_equal(doc.mask, expected)
    assert not doc.undo()
    for expected in masks[1:]:
        assert doc.redo()
        np.testing.assert_array_equal(doc.mask, expected)
    for _ in range(3):
        doc.undo()
    doc.apply_patch((0, 40, 0, 40), (doc.mask[:40, :40] == 0).view(np.uint8), label="flip")  # changes all
    assert not doc.can_redo
    assert doc.undo()
    np.testing.assert_array_equal(doc.mask, masks[-4])


@pytest.mark.parametrize("values", [(0, 1), (0, 1, 255), (0, 255), (1,), (255,), (0, 1, 2, 255), (3, 200)])
@pytest.mark.parametrize("shape", [(1, 1), (3, 5), (45, 46), (64, 64), (77, 131), (256, 256)])
def test_a_patch_gives_back_its_values(values: tuple[int, ...], shape: tuple[int, int]) -> None:
    rng = np.random.default_rng(sum(shape) + len(values))
    array = rng.choice(np.array(values, np.uint8), size=shape)
    array[: shape[0] // 2] = values[0]  # runs, as masks have, and noise
    out = _unpack(_pack(array), shape)
    assert out.dtype == np.uint8 and out.shape == shape and not out.flags.writeable
    np.testing.assert_array_equal(out, array)
    patch = Patch.from_arrays((0, shape[0], 0, shape[1]), array, array[::-1])
    np.testing.assert_array_equal(patch.old, array)
    np.testing.assert_array_equal(patch.new, array[::-1])


def test_a_0_1_patch_costs_at_most_a_bit_a_pixel_and_zeros_nothing() -> None:
    """Noise (incompressible as bytes: zlib of the bytes stored a 256x256 tile in ~12 KB) packs into
    its bit plane; 0/1/255 noise into two."""
    rng = np.random.default_rng(0)
    binary = rng.integers(0, 2, (256, 256), dtype=np.uint8)
    assert len(_pack(binary)) <= binary.size // 8 + 64
    ternary = rng.choice(np.array([0, 1, 255], np.uint8), size=(256, 256))
    assert len(_pack(ternary)) <= 2 * ternary.size // 8 + 64
    assert COMPRESS_MIN_BYTES <= binary.size
    assert len(_pack(np.zeros((256, 256), np.uint8))) == 1  # an empty mask's old values: their kind


def test_200_steps_on_a_4000x3000_mask_stay_within_the_memory_bound(demo_dir) -> None:
    """README: 200 undo steps on a 4000x3000 mask keep under 200 MB; the history's byte count is
    what its patches hold plus their objects' overhead, and what Python allocated for the 200 steps
    (tracemalloc) is no more than that count and 1 MiB (no full-size copy kept)."""
    mask, probability = scene(demo_dir, (3000, 4000))
    doc = AnnotationDocument(mask.shape, mask, probability, max_undo_steps=256)
    rng = np.random.default_rng(1)
    tracemalloc.start()
    try:
        base, _ = tracemalloc.get_traced_memory()
        for i in range(200):  # whole-image steps, a big polygon fill every 4th
            if i % 4 == 3:
                tools.polygon_fill(doc, [_point(doc, rng) for _ in range(8)], 1)
            else:
                cleanup.accept_prediction(doc, (0.2, 0.8)[i % 2])
        grown = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
    steps = list(doc.history._undo)
    assert len(steps) == doc.history.undo_count == 200
    patches = [p for s in steps for p in s.patches]
    stored = sum(len(p._old) + len(p._new) for p in patches)
    assert doc.history.nbytes == stored + PATCH_OVERHEAD * len(patches) + 64 * len(steps)
    assert doc.history.nbytes < 16 * 2**20  # README: 1.3-10.5 MiB of history, < 200 MB
    assert grown <= doc.history.nbytes + 2**20  # what it counts is what it holds
    for _ in range(200):
        assert doc.undo()
    np.testing.assert_array_equal(doc.mask, mask)
