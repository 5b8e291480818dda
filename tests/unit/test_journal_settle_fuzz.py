"""Fuzz of the background save path with the save thread's journal fsync interleaved
(`fosp_core.annotation.mask_saves`): random commits of three images (strokes, undo/redo, Accept,
statuses), each save job held on the save thread and let through one at a time (`settle_disk.Gate`),
the journal fsync failing now and then (EIO), statuses set outside any document, images reopened,
``project.json`` compacted every few lines (inline or on its thread), the project folder's fsync
failing now and then (EIO: a ``project.json`` rewrite or a journal's creation in place, maybe not
durable; `settle_disk.Disk.fail_folder`). After each step the project
is copied as a crash would leave it (`settle_disk.Disk.crash_copy`) and opened:

- a kill (SIGKILL: what was written stays) shows each image's last committed mask and status;
- a power loss (each journal and log cut back to what fsync made durable, a log removed since its
  folder's last fsync back, ``project.json`` and the journal's entry as the last folder fsync that
  worked left them) shows, for each image,
  the state of its last commit known durable (its log fsynced by its PNG job, or saved in the
  call) or of a later commit, never an older one.

And the open project itself shows each image's last commit when its document is opened again.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation import mask_saves
from fosp_core.annotation import project as project_module
from fosp_core.annotation.document import AnnotationDocument, Status
from fosp_core.annotation.mask_writes import NotDurableSaveError
from fosp_core.annotation.project import Project
from tests.unit.crash_disk import make_images, mask_hash
from tests.unit.mask_edits import random_edit
from tests.unit.settle_disk import Disk, Gate

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")

State = tuple[str, str]  # (mask hash, status)
EDITS = ["brush", "brush", "erase", "ignore", "undo", "redo", "accept", "status"]
STEPS = EDITS * 2 + ["step"] * 8 + ["take"] * 3 + ["reopen", "set_status", "wait", "fail", "heal", "dirfail",
                                                    "dirheal"]


class Model:
    """Each image's committed states in order, and the index of the last one known durable."""

    def __init__(self) -> None:
        self.states: dict[str, list[State]] = {}
        self.durable: dict[str, int] = {}

    def commit(self, image_id: str, state: State, *, durable: bool) -> None:
        self.states[image_id].append(state)
        if durable:
            self.durable[image_id] = len(self.states[image_id]) - 1

    def log_synced(self, image_id: str) -> None:
        """A PNG job of `image_id` fsyncs its log now: every commit of it so far is durable."""
        self.durable[image_id] = len(self.states[image_id]) - 1


def _state(doc: AnnotationDocument) -> State:
    return mask_hash(doc.mask), Status(doc.status).value


def _reopened(disk: Disk, images: Path, to: Path, how: str, shapes: dict[str, tuple[int, int]]) -> dict[str, State]:
    """Each image's (mask hash, status) in a copy of `images` left as crash `how` leaves it."""
    with Project.open(disk.crash_copy(images, to, how)) as again:
        out = {}
        for image_id in again.ids:
            mask = again.load_mask(image_id)
            mask = np.zeros(shapes[image_id], np.uint8) if mask is None else mask
            out[image_id] = (mask_hash(mask), again.entry(image_id).status.value)
        return out


def _check_crashes(disk: Disk, images: Path, tmp: Path, model: Model, shapes: dict[str, tuple[int, int]],
                   where: str) -> None:
    killed = _reopened(disk, images, tmp / f"kill-{where}", "kill", shapes)
    power = _reopened(disk, images, tmp / f"power-{where}", "power", shapes)
    for image_id, states in model.states.items():
        assert killed[image_id] == states[-1], f"{where}: a kill lost {image_id}'s last commit"
        allowed = states[model.durable.get(image_id, 0):]
        assert power[image_id] in allowed, (
            f"{where}: a power loss showed {image_id} at {power[image_id]}, not a commit at or after its "
            f"last durable one (index {model.durable.get(image_id, 0)} of {len(states)})")


@pytest.mark.parametrize("seed", [1, 2, 3, *(pytest.param(s, marks=pytest.mark.slow) for s in range(4, 10))])
def test_journal_fsync_interleaved_loses_no_commit(tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(seed)
    disk, model = Disk(), Model()
    gate = Gate(model.log_synced)
    monkeypatch.setattr(os, "fsync", disk.fsync)
    monkeypatch.setattr(mask_saves, "_write", gate.write)
    monkeypatch.setattr(project_module, "JOURNAL_LIMIT", 4)  # compactions and generations among the saves
    images = make_images(tmp_path / "images", seed=seed, count=3)
    project = Project.open(images)
    try:
        project.save_in_background = True
        project.compact_in_background = bool(seed % 2)
        docs = {image_id: project.open_document(image_id) for image_id in project.ids}
        shapes = {image_id: doc.shape for image_id, doc in docs.items()}
        labels = {image_id: rng.choice(np.array([0, 1, 255], np.uint8), size=doc.shape, p=[0.6, 0.3, 0.1])
                  for image_id, doc in docs.items()}
        for image_id, doc in docs.items():
            model.states[image_id] = [_state(doc)]
        for n in range(70):
            op, image_id = str(rng.choice(STEPS)), str(rng.choice(project.ids))
            doc = docs[image_id]
            if op in EDITS:
                revision, seq = doc.revision, project._seq
                random_edit(doc, op, rng, labels[image_id])
                if doc.revision != revision:
                    saved = project._seq == seq and project.is_saved(doc)  # saved in the call (and durably)
                    model.commit(image_id, _state(doc), durable=saved)
            elif op == "step":
                gate.step(project._saver)
            elif op == "take":
                project.finish_saves()
            elif op == "wait":
                with gate.opened(lambda: project._saver):
                    project.finish_saves(wait=True)
            elif op == "fail":
                disk.fail_journal = True
            elif op == "heal":
                disk.fail_journal = False
            elif op in ("dirfail", "dirheal"):
                disk.fail_folder = project.folder if op == "dirfail" else None
            elif op in ("reopen", "set_status"):
                with gate.opened(lambda: project._saver):
                    project.finish_saves(wait=True, image_id=image_id)  # the app's, before a document goes
                    if op == "set_status":
                        status = str(rng.choice(["edited", "reviewed", "predicted"]))
                        try:
                            project.set_status(image_id, status)
                            durable = True
                        except NotDurableSaveError:  # in place (the new status stands), maybe not durable
                            durable = False
                        model.commit(image_id, (model.states[image_id][-1][0], status), durable=durable)
                    docs[image_id] = doc = project.open_document(image_id)
                assert _state(doc) == model.states[image_id][-1], f"step {n}: reopened {image_id} shows another state"
            if project._rewrite is not None:
                project._rewrite.wait()  # its file in place (its end not taken): the copy sees one file
            _check_crashes(disk, images, tmp_path, model, shapes, f"{n}-{op}")
    finally:
        disk.fail_journal, disk.fail_folder = False, None
        with gate.opened(lambda: project._saver):
            project.close()
