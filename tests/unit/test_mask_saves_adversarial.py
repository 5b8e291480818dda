"""Background mask saves tried to break (review of the save path of cfaa227/a3b9b5f): random
strokes, ignore, undo/redo, accepted labels from resources/demo, status changes and image switches
on two images, with saves held and released and failures injected in the log's fsync and the PNG
write. Every PNG written must be the document's mask at the version its job names; a failed save
keeps the edit (a document opened again shows it, the log is kept); the log's fsync precedes each
PNG; a project opened again (as after a kill) holds every committed mask."""

from __future__ import annotations

import threading
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation import mask_saves, tools
from fosp_core.annotation.project import Project
from fosp_core.annotation.recovery import log_path
from fosp_core.annotation.storage import StorageError
from tests.unit.mask_edits import random_edit

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo" / "SegmentationClass"
SHAPES = [(300, 512), (512, 257)]


def _labels() -> list[np.ndarray]:
    files = sorted(DEMO.glob("*.png"))[:2]
    out = []
    for f, (h, w) in zip(files, SHAPES, strict=True):
        label = cv2.imread(str(f), cv2.IMREAD_UNCHANGED)
        out.append((label[:h, :w].max(axis=2) > 0).astype(np.uint8))
    return out


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "images"
    folder.mkdir()
    for i, shape in enumerate(SHAPES):
        cv2.imwrite(str(folder / f"img{i}.png"), np.full((*shape, 3), 90 + 20 * i, np.uint8))
    return folder


class _Harness:
    """Gate, failures and a record of what the save thread did."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.gate = threading.Event()
        self.gate.set()
        self.fail_sync = 0  # how many of the next fsyncs fail
        self.fail_png = 0  # how many of the next PNG writes fail
        self.written: list[tuple[str, int, np.ndarray]] = []
        self.order: list[tuple[str, str]] = []
        real_write, real_sync, real_atomic = mask_saves._write, mask_saves.sync_log, mask_saves.atomic_write

        def sync(path: Path) -> None:
            self.order.append(("sync", path.name))
            if self.fail_sync:
                self.fail_sync -= 1
                raise StorageError(path, "cannot write: Input/output error", 5)
            real_sync(path)

        def atomic(path: Path, data: bytes) -> None:
            assert self.gate.wait(30)
            self.order.append(("png", path.name))
            if self.fail_png:
                self.fail_png -= 1
                raise StorageError(path, "cannot write: disk full", 28)
            real_atomic(path, data)

        def write(job: mask_saves.SaveJob) -> None:
            mask = None if job.mask is None else job.mask.copy()
            real_write(job)
            if job.error is None and mask is not None:
                self.written.append((job.image_id, job.mask_version, mask))

        monkeypatch.setattr(mask_saves, "sync_log", sync)
        monkeypatch.setattr(mask_saves, "atomic_write", atomic)
        monkeypatch.setattr(mask_saves, "_write", write)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_edits_with_failures_never_write_a_wrong_png_nor_lose_a_commit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    labels = _labels()
    harness = _Harness(monkeypatch)
    rng = np.random.default_rng(seed)
    folder = _folder(tmp_path)
    versions: dict[tuple[str, int], np.ndarray] = {}
    with Project.open(folder) as project:
        project.save_in_background = True
        ids = list(project.ids)
        docs = {i: project.open_document(i) for i in ids}
        for step in range(220):
            image_id = ids[int(rng.integers(2))]
            doc = docs[image_id]
            op = str(rng.choice(["brush", "brush", "erase", "ignore", "undo", "redo", "accept",
                                 "status", "reopen", "fail"]))
            if op == "fail":
                if rng.random() < 0.5:
                    harness.fail_sync += 1
                else:
                    harness.fail_png += 1
            elif op == "reopen":  # switched away and back: the document read again shows every commit
                harness.gate.set()
                project.finish_saves(wait=True)
                mask = doc.mask.copy()
                docs[image_id] = project.open_document(image_id)
                assert np.array_equal(docs[image_id].mask, mask), (step, "reopened document lost a commit")
            else:
                random_edit(doc, op, rng, labels[ids.index(image_id)])
            for i, d in docs.items():
                versions.setdefault((i, d.mask_version), d.mask.copy())
            if rng.random() < 0.3:
                harness.gate.clear()
            elif not harness.gate.is_set():
                harness.gate.set()
            project.finish_saves(wait=harness.gate.is_set() and rng.random() < 0.5)
            for i, d in docs.items():
                if project._newest.get(i) is not None or project.is_saved(d):
                    continue
                assert log_path(project.mask_path(i)).exists(), (step, "unsaved commit without its log")
        harness.gate.set()
        harness.fail_sync = harness.fail_png = 0
        project.finish_saves(wait=True)
        for image_id, version, mask in harness.written:
            assert np.array_equal(mask, versions[(image_id, version)]), (image_id, version)
        last_sync: dict[str, int] = {}
        for n, (what, name) in enumerate(harness.order):
            if what == "sync":
                last_sync[name.removesuffix(".recovery")] = n
            else:
                assert name in last_sync, ("PNG written before its log's fsync", n)
        finals = {i: d.mask.copy() for i, d in docs.items()}
        statuses = {i: d.status for i, d in docs.items()}
        assert len(harness.written) > 20
    with Project.open(folder) as again:  # a kill after the failures: the logs hold the edits
        for image_id in ids:
            doc = again.open_document(image_id)
            assert np.array_equal(doc.mask, finals[image_id]), image_id
            assert doc.status == statuses[image_id]


@pytest.mark.parametrize("failure", ["fsync", "png"])
def test_a_document_opened_again_after_a_failed_save_keeps_the_commit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str) -> None:
    """A failed save (the log's fsync: EIO; the PNG: disk full), the image switched away and back:
    the document read again showed the old PNG (the log not applied), and its next commit saved that
    over the log: the stroke was lost for good."""
    harness = _Harness(monkeypatch)
    folder = _folder(tmp_path)
    with Project.open(folder) as project:
        project.save_in_background = True
        image_id = project.ids[0]
        doc = project.open_document(image_id)
        tools.brush(doc, [(50.0, 50.0), (200.0, 120.0)], 6)
        project.finish_saves(wait=True)
        if failure == "fsync":
            harness.fail_sync = 1
        else:
            harness.fail_png = 1
        tools.brush(doc, [(300.0, 200.0), (400.0, 250.0)], 8)
        project.finish_saves(wait=True)
        assert project.last_error is not None and not project.is_saved(doc)
        committed = doc.mask.copy()
        again = project.open_document(image_id)
        assert np.array_equal(again.mask, committed)
        tools.brush(again, [(10.0, 280.0), (20.0, 290.0)], 3)
        project.finish_saves(wait=True)
        final = again.mask.copy()
        assert np.array_equal(project.load_mask(image_id), final)
    with Project.open(folder) as reopened:
        assert np.array_equal(reopened.load_mask(image_id), final)


def test_a_status_commit_whose_save_failed_is_kept_in_a_document_opened_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A status change committed while the image's log runs ahead, its save failed: the document
    read again showed the journal's older status (the entry was put back to it), where a project
    opened again shows the log's (the committed one)."""
    harness = _Harness(monkeypatch)
    folder = _folder(tmp_path)
    with Project.open(folder) as project:
        project.save_in_background = True
        doc = project.open_document(project.ids[0])
        tools.brush(doc, [(50.0, 50.0), (200.0, 120.0)], 6)
        project.finish_saves(wait=True)
        harness.fail_sync = 5
        tools.brush(doc, [(20.0, 30.0), (40.0, 45.0)], 3)
        doc.set_status("reviewed")
        project.finish_saves(wait=True)
        assert project.last_error is not None and not project.is_saved(doc)
        assert project.open_document(doc.image_id).status == "reviewed"
        harness.fail_sync = 0
    with Project.open(folder) as again:
        assert again.open_document(again.ids[0]).status == "reviewed"
