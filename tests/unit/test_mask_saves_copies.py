"""A background save copies only the rectangle its commit changed onto the save thread's own copy of
the image's mask (`fosp_core.annotation.save_copies`), not the whole mask; what it writes is still
the document's mask after every commit: strokes, erasing, undo/redo, a whole new mask, status
changes, coalesced saves held behind a slow writer, two images in turn, a document opened again;
and the save thread keeps the copy of one image only."""

from __future__ import annotations

import threading
import tracemalloc
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation import mask_saves, tools
from fosp_core.annotation.project import Project
from tests.unit.mask_edits import random_edit

PHOTO = "ckakldp3vdjmg0b12dcxe2tgz"


def _folder(tmp_path: Path, shapes: list[tuple[int, int]]) -> Path:
    folder = tmp_path / "images"
    folder.mkdir()
    for i, shape in enumerate(shapes):
        cv2.imwrite(str(folder / f"img{i}.png"), np.full((*shape, 3), 90 + 20 * i, np.uint8))
    return folder


def test_a_small_stroke_copies_its_rectangle_not_the_mask(tmp_path: Path) -> None:
    with Project.open(_folder(tmp_path, [(3000, 4000)])) as project:
        project.save_in_background = True
        doc = project.open_document(project.ids[0])
        tools.brush(doc, [(100.0, 100.0), (3900.0, 2900.0)], 20)  # the first save hands the whole mask over
        project.finish_saves(wait=True)
        tracemalloc.start()
        try:
            tools.brush(doc, [(500.0, 500.0), (530.0, 520.0)], 4)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < doc.mask.nbytes / 8, peak  # a 12 MB mask: no whole copy on the committing thread
        project.finish_saves(wait=True)
        assert np.array_equal(project.load_mask(doc.image_id), doc.mask)


def _held(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """An open gate the PNG writer waits at (cleared: saves wait, commits queue and coalesce)."""
    gate, real = threading.Event(), mask_saves.encode_mask_png
    gate.set()

    def held(mask: np.ndarray, compress_level: int = 6) -> bytes:
        assert gate.wait(30)
        return real(mask, compress_level)

    monkeypatch.setattr(mask_saves, "encode_mask_png", held)
    return gate


def test_every_save_writes_the_documents_mask(tmp_path: Path, shared_data: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    shapes = [(450, 601), (377, 500)]
    gt = cv2.imread(str(shared_data / "smoke5k-train" / "gt" / f"{PHOTO}.png"), cv2.IMREAD_GRAYSCALE)
    labels = [cv2.resize((gt > 127).astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST) for h, w in shapes]
    gate = _held(monkeypatch)
    rng = np.random.default_rng(7)
    with Project.open(_folder(tmp_path, shapes)) as project:
        project.save_in_background = True
        docs = {i: project.open_document(i) for i in project.ids}
        checks = 0
        for step in range(160):
            image_id = project.ids[int(rng.integers(2)) if step % 17 else step % 2]
            doc = docs[image_id]
            op = str(rng.choice(["brush", "brush", "erase", "ignore", "undo", "redo", "accept", "status", "reopen"]))
            random_edit(doc, op, rng, labels[project.ids.index(image_id)])
            if op == "reopen":
                gate.set()
                project.finish_saves(wait=True)
                docs[image_id] = project.open_document(image_id)
            if rng.random() < 0.3:
                gate.clear()  # the next saves queue behind a held one and coalesce
            elif not gate.is_set():
                gate.set()
            project.finish_saves(wait=gate.is_set() and rng.random() < 0.5)
            if gate.is_set() and rng.random() < 0.4:
                project.finish_saves(wait=True)
                assert project.last_error is None, project.last_error
                for other, d in docs.items():
                    assert np.array_equal(project.load_mask(other), d.mask), (step, op, other)
                    assert project.entry(other).status == d.status
                saver = project._saver
                assert saver is not None and len(saver.held()) <= 1, saver.held()
                checks += 1
        gate.set()
        project.finish_saves(wait=True)
        for other, d in docs.items():
            assert np.array_equal(project.load_mask(other), d.mask)
        assert checks > 10
