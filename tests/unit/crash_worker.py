"""Crash-test worker: a process that edits an annotation project at random and reports what it
saves. The parent-side check of what a killed worker left on disk (`mask_hash`, `disk_state`,
`stray_files`, `Model`, `make_images`) is `tests.unit.crash_disk`, the faults the worker installs in
itself `tests.unit.crash_faults`; this module re-exports their names for the tests that import them
from here.

The worker (``python -m tests.unit.crash_worker FOLDER SEED ROUND LIMIT [KILL [FULL [BG]]]``) opens the project
of FOLDER, sets ``JOURNAL_LIMIT`` to LIMIT (0: every save rewrites ``project.json``, 1-3: the
journal is folded into it every few saves) and applies random committed edits through
`fosp_core.annotation.tools` and the project's own calls. Its stdout, one flushed line each:

    O PID                      the project is open (for writing)
    P ID HASH STATUS RATIO     a save of image ID's mask (HASH, its smoke ratio RATIO) and STATUS starts
    S ID HASH STATUS           a save of image ID's STATUS alone (the mask file holds HASH) starts:
                               `Project.set_status`, which a document's status-only change uses too
    C ID HASH STATUS           a commit returned: image ID is saved as mask HASH, STATUS
    E TEXT                     something went wrong (the parent fails the test)

HASH is `mask_hash` of the mask, RATIO `smoke_ratio` ("-" for none of either); each line is one
``write`` (a kill never leaves half a line). KILL ("point:n") makes the worker SIGKILL itself at
the n-th call of an internal write step (`KILL_POINTS`), so that a crash lands exactly inside a
mask write, a journal append or a ``project.json`` rewrite; without it the parent kills it. FULL (a
share, "0" for none) makes that share of the ``project.json`` rewrites fail like a full disk (half
the temporary file written, then ENOSPC) once the project is open: the saves must go on by their
journal lines (Linux: a write's file is found through ``/proc/self/fd``). BG ("bg") rewrites
``project.json`` on a worker thread as the app does (`Project.compact_in_background`), each rewrite
held a random few milliseconds so that saves run during it; the kill point "rewriting" kills the
process from that thread during such a rewrite, while the main thread saves.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

from tests.unit.crash_disk import (
    HASH_NONE,
    ImageModel,
    Model,
    disk_state,
    make_images,
    mask_hash,
    smoke_ratio,
    stray_files,
)
from tests.unit.crash_faults import (
    BG_KILL_POINTS,
    KILL_POINTS,
    install_full_disk,
    install_kill,
    slow_background_rewrites,
)

__all__ = ["BG_KILL_POINTS", "HASH_NONE", "KILL_POINTS", "ImageModel", "Model", "disk_state", "make_images",
           "mask_hash", "smoke_ratio", "stray_files", "work"]


def _say(*parts: object) -> None:
    os.write(1, (" ".join(str(p) for p in parts).replace("\n", " ") + "\n").encode())


def _report_saves() -> None:
    """Print a P or S line before every save of a mask or a status (what the crash may leave)."""
    from fosp_core.annotation.document import Status
    from fosp_core.annotation.project import Project

    real_save_mask, real_set_status, real_log = Project.save_mask, Project.set_status, Project.log_commit

    def save_mask(self: Project, image_id: str, mask: np.ndarray, status: object = None) -> None:
        status = Status(status) if status is not None else self.entry(image_id).status
        _say("P", image_id, mask_hash(np.asarray(mask)), status.value, smoke_ratio(np.asarray(mask)))
        real_save_mask(self, image_id, mask, status)

    def set_status(self: Project, image_id: str, status: object) -> None:
        _say("S", image_id, mask_hash(self.load_mask(image_id)), Status(status).value)
        real_set_status(self, image_id, status)

    def log_commit(self: Project, doc: object, rect: object) -> None:  # a background save's durable step
        mask = np.asarray(doc.mask)  # type: ignore[attr-defined]
        _say("P", doc.image_id, mask_hash(mask), doc.status.value, smoke_ratio(mask))  # type: ignore[attr-defined]
        real_log(self, doc, rect)  # type: ignore[arg-type]

    Project.save_mask = save_mask  # type: ignore[method-assign]
    Project.log_commit = log_commit  # type: ignore[method-assign]
    Project.set_status = set_status  # type: ignore[method-assign]


def _points(rng: np.random.Generator, shape: tuple[int, int], n: int) -> list[tuple[float, float]]:
    h, w = shape
    return [(float(rng.uniform(-3, w + 3)), float(rng.uniform(-3, h + 3))) for _ in range(n)]


def work(folder: Path, seed: int, round_: int, limit: int, kill: str | None, full: float = 0.0,
         max_ops: int = 100_000, background: bool = False) -> None:
    from fosp_core.annotation import project as project_module
    from fosp_core.annotation import tools
    from fosp_core.annotation.document import Status
    from fosp_core.annotation.project import Project

    project_module.JOURNAL_LIMIT = limit
    _report_saves()
    if background:
        slow_background_rewrites(np.random.default_rng([seed, round_, 2]))
    if kill:
        install_kill(kill)
    rng = np.random.default_rng([seed, round_])
    project = Project.open(folder)
    project.compact_in_background = background
    if project.read_only:
        _say("E", "read-only:", project.read_only_reason)
        return
    _say("O", os.getpid())
    if full:  # after the first opening, which may have to create project.json
        install_full_disk(full, np.random.default_rng([seed, round_, 1]))
    docs: dict = {}
    statuses = list(Status)
    ops = ["brush", "brush", "erase", "ignore", "polygon", "cut", "flood", "undo", "undo", "redo",
           "doc_status", "project_status", "prediction", "reopen"]
    for _ in range(max_ops):
        image_id = str(rng.choice(project.ids))
        op = str(rng.choice(ops))
        if op in ("project_status", "prediction", "reopen") and image_id in docs:
            op = "brush"  # the project's own calls are for images without an open document
        if op == "reopen":
            project.close()
            project = Project.open(folder)
            project.compact_in_background = background
            docs.clear()
            if project.read_only:
                _say("E", "read-only after reopening:", project.read_only_reason)
                return
            continue
        if op == "project_status":
            status = statuses[int(rng.integers(len(statuses)))]
            project.set_status(image_id, status)
            _say("C", image_id, mask_hash(project.load_mask(image_id)), status.value)
            continue
        if op == "prediction":
            size = project.entry(image_id).size or project.open_document(image_id, autosave=False).shape
            prob = rng.random(size, dtype=np.float32)
            project.set_prediction(image_id, prob, 0.5)
            if project.last_error is not None:
                _say("E", project.last_error)
                return
            _say("C", image_id, mask_hash(project.load_mask(image_id)), project.entry(image_id).status.value)
            continue
        doc = docs.get(image_id)
        if doc is None:
            doc = docs[image_id] = project.open_document(image_id)
        before = doc.revision
        radius = float(rng.uniform(0.5, 6))
        if op == "brush":
            tools.brush(doc, _points(rng, doc.shape, int(rng.integers(1, 5))), radius)
        elif op == "erase":
            tools.erase(doc, _points(rng, doc.shape, int(rng.integers(1, 5))), radius)
        elif op == "ignore":
            tools.ignore_brush(doc, _points(rng, doc.shape, 2), radius)
        elif op == "polygon":
            tools.polygon_fill(doc, _points(rng, doc.shape, int(rng.integers(3, 7))))
        elif op == "cut":
            tools.polygon_cut(doc, _points(rng, doc.shape, int(rng.integers(3, 7))))
        elif op == "flood":
            y, x = int(rng.integers(doc.height)), int(rng.integers(doc.width))
            tools.flood_fill(doc, x, y, int(rng.choice([0, 1, 255])))
        elif op == "undo":
            doc.undo()
        elif op == "redo":
            doc.redo()
        elif op == "doc_status":
            doc.set_status(statuses[int(rng.integers(len(statuses)))])
        if project.last_error is not None:
            _say("E", "save failed:", project.last_error)
            return
        if doc.revision != before:
            if not project.is_saved(doc):
                _say("E", "commit returned unsaved:", image_id)
                return
            _say("C", image_id, mask_hash(doc.mask), doc.status.value)
    project.close()


def main(argv: list[str]) -> None:
    folder, seed, round_, limit = Path(argv[0]), int(argv[1]), int(argv[2]), int(argv[3])
    kill = argv[4] if len(argv) > 4 and argv[4] != "-" else None
    full = float(argv[5]) if len(argv) > 5 else 0.0
    background = len(argv) > 6 and argv[6] == "bg"
    try:
        work(folder, seed, round_, limit, kill, full, background=background)
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which fails the test
        _say("E", f"{type(exc).__name__}: {exc}".replace("\n", " "))
        raise


if __name__ == "__main__":
    main(sys.argv[1:])
