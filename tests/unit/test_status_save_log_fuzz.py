"""Random sessions around `BackgroundSaves.status_made_durable` (39ffd3a: a status save removes the log of
a line whose journal fsync failed): strokes of smoke, ignore and eraser, status commits, statuses set from
the list, documents opened again and saved (`Project.save_document`), saves taken or waited for, the save
thread's journal fsync failing (`settle_disk.Disk`) and PNG writes failing (disk full), in any order.
After every step, with the save thread idle, a kill (`Disk.crash_copy`: everything written stays) reopens
each image with its last committed mask and status; so does the project closed at the end, and every
document opened again. A log removed while it held the one copy of a commit would show as an older mask.
(33edb88's defect needs eight steps in one order; 40 seeds of this fuzz did not hit it by chance:
`test_journal_fsync_failed_later_commit_kept` pins it. 3 seeds by default, 40 with -m slow.)"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation import mask_saves, tools
from fosp_core.annotation.document import AnnotationDocument, Status
from fosp_core.annotation.entries import ProjectError
from fosp_core.annotation.project import Project
from fosp_core.annotation.storage import StorageError, atomic_write
from tests.unit.crash_disk import make_images
from tests.unit.settle_disk import Disk

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="settle_disk reads /proc/self/fd")

State = tuple[np.ndarray, str]
#: the steps and how often each comes (ignore strokes, openings and saves often: the paths of 33edb88)
KINDS = ["smoke", "ignore", "erase", "status", "list", "reopen", "reopen+save", "save", "take", "wait", "journal",
         "png"]
WEIGHTS = np.array([2, 3, 1, 1, 1, 2, 3, 2, 1, 2, 2, 2], float) / 22


class Session:
    """One project, its open documents and what each image must show (`expected`)."""

    def __init__(self, images: Path, disk: Disk, rng: np.random.Generator) -> None:
        self.images, self.disk, self.rng = images, disk, rng
        self.png_fails = False
        self.project = Project.open(images)
        self.project.save_in_background = True
        self.docs: dict[str, AnnotationDocument] = {}
        self.expected: dict[str, State] = {}
        for image_id in self.project.ids[:2]:
            self.reopen(image_id)
            doc = self.docs[image_id]
            self.expected[image_id] = (doc.mask.copy(), doc.status.value)

    def write(self, path: Path, data: bytes) -> None:
        if self.png_fails:
            raise StorageError(path, "cannot write: disk full", errno.ENOSPC)
        atomic_write(path, data)

    def reopen(self, image_id: str) -> None:
        doc = self.project.open_document(image_id)
        self.docs[image_id] = doc
        if image_id in self.expected:
            assert np.array_equal(doc.mask, self.expected[image_id][0]), f"{image_id} opened without its last commit"
            assert doc.status.value == self.expected[image_id][1], image_id

    def step(self, image_id: str) -> str:
        doc, rng = self.docs[image_id], self.rng
        h, w = doc.shape
        # smoke in the top half, ignore and the eraser in the bottom half: an ignore or eraser commit leaves
        # the smoke ratio as it was, so a document opened again may take the mask file for its own
        top = (0, h // 2 - 3)
        bottom = (h // 2 + 3, h)
        kind = str(rng.choice(KINDS, p=WEIGHTS))
        kind_rows = top if kind == "smoke" else bottom
        points = [(float(rng.integers(*kind_rows)), float(rng.integers(0, w))) for _ in range(2)]
        try:
            if kind == "smoke":
                tools.brush(doc, points, 2)
            elif kind == "ignore":
                tools.ignore_brush(doc, points, 2)
            elif kind == "erase":
                tools.erase(doc, points, 3)
            elif kind == "status":
                doc.set_status(Status.REVIEWED if doc.status != Status.REVIEWED else Status.EDITED)
            elif kind == "list":
                new = Status.REVIEWED if self.expected[image_id][1] != "reviewed" else Status.EDITED
                self.project.set_status(image_id, new)
                self.expected[image_id] = (self.expected[image_id][0], new.value)
                self.reopen(image_id)
                return kind
            elif kind in ("reopen", "reopen+save"):
                self.project.finish_saves(wait=True)  # saved or not: the log holds what the file does not
                self.reopen(image_id)
                if kind == "reopen+save":
                    self.project.save_document(self.docs[image_id])
                return kind
            elif kind == "save":
                self.project.save_document(doc)
            elif kind == "take":
                self.project.finish_saves()
            elif kind == "wait":
                self.project.finish_saves(wait=True)
            elif kind == "journal":
                self.disk.fail_journal = not self.disk.fail_journal
            elif kind == "png":
                self.png_fails = not self.png_fails
        except ProjectError:
            pass  # a failed save: the document keeps the edit
        self.expected[image_id] = (doc.mask.copy(), doc.status.value)
        return kind

    def check_kill(self, to: Path) -> None:
        if self.project._saver is not None:  # noqa: SLF001 - idle, so the copy is not torn by a write
            self.project._saver.wait()  # noqa: SLF001
        with Project.open(self.disk.crash_copy(self.images, to, "kill")) as again:
            self.compare(again, "a kill")

    def compare(self, project: Project, how: str) -> None:
        for image_id, (mask, status) in self.expected.items():
            got = project.load_mask(image_id)
            got = np.zeros(mask.shape, np.uint8) if got is None else got
            assert np.array_equal(got, mask), f"after {how}: {image_id} lost a commit"
            assert project.entry(image_id).status.value == status, f"after {how}: {image_id}'s status"


@pytest.mark.parametrize("seed", [*range(3), *(pytest.param(s, marks=pytest.mark.slow) for s in range(3, 40))])
def test_a_kill_after_any_step_keeps_every_commit(seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    disk = Disk()
    monkeypatch.setattr(os, "fsync", disk.fsync)
    images = make_images(tmp_path / "images", seed=seed, count=2)
    rng = np.random.default_rng(seed)
    session = Session(images, disk, rng)
    monkeypatch.setattr(mask_saves, "atomic_write", session.write)
    steps: list[str] = []
    try:
        for n in range(40):
            image_id = session.project.ids[int(rng.integers(0, 2))]
            steps.append(f"{image_id}:{session.step(image_id)}")
            session.check_kill(tmp_path / f"kill{n}")
        session.disk.fail_journal = session.png_fails = False
        for doc in session.docs.values():  # as the window's close: saved once more
            session.project.finish_saves(wait=True)
            if not session.project.is_saved(doc):
                session.project.save_document(doc)
    except AssertionError as exc:
        raise AssertionError(f"{exc} (steps: {steps})") from exc
    finally:
        session.project.close()
    with Project.open(images) as again:
        session.compare(again, "the close")
