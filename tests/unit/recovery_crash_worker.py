"""Processes killed around the background mask saves' recovery logs (`tests/unit/test_recovery_kills.py`).

``python -m tests.unit.recovery_crash_worker MODE FOLDER OUT [POINT]``:

- ``open POINT``: open the project of FOLDER (a crash left a recovery log) and SIGKILL this process at
  POINT of the recovery: ``png_written`` (the mask file replaced, its journal line not appended),
  ``journaled`` (the journal line appended, the log not removed), ``log_removed`` (the log removed,
  the journal not yet folded into project.json), ``journal_fsync`` (inside the journal append).
- ``coalesce``: 40 strokes and a status on one image while the PNG writer is slow (each write held
  5 ms, `finish_saves` taken after each commit as the app's queued signal does, every 10th waiting
  for the writes: the log removed, a new one begun over the written mask file), then killed.
- ``undo``: a stroke, then its undo, the PNG of neither written (the writer blocked), then killed.

Before the kill the edit modes save the document's mask to OUT (``.npy``) and print its status.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

import numpy as np


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _kill_at(point: str) -> None:
    from fosp_core.annotation import project as project_module
    from fosp_core.annotation.project import Project

    if point == "png_written":
        real_write = project_module.atomic_write

        def write(path: str | os.PathLike, data: bytes, **kwargs: object) -> None:
            real_write(path, data, **kwargs)
            if Path(path).parent.name == "masks":
                _die()

        project_module.atomic_write = write
    elif point in ("journaled", "log_removed"):
        real_unlink = Path.unlink

        def unlink(self: Path, missing_ok: bool = False) -> None:
            if self.name.endswith(".recovery") and point == "journaled":
                _die()
            real_unlink(self, missing_ok=missing_ok)
            if self.name.endswith(".recovery") and point == "log_removed":
                _die()

        Path.unlink = unlink  # type: ignore[method-assign]
    elif point == "journal_fsync":
        real_record = Project.record_state

        def record_state(self: Project, entry: object, **kwargs: object) -> None:
            real_fsync = os.fsync

            def fsync(fd: int) -> None:
                _die()

            os.fsync = fsync
            try:
                real_record(self, entry, **kwargs)  # type: ignore[arg-type]
            finally:
                os.fsync = real_fsync

        Project.record_state = record_state  # type: ignore[method-assign]
    else:
        raise SystemExit(f"unknown kill point {point!r}")


def main(argv: list[str]) -> None:
    from fosp_core.annotation import mask_saves, tools
    from fosp_core.annotation.project import Project
    from fosp_core.annotation.recovery import log_path

    mode, folder, out = argv[0], Path(argv[1]), Path(argv[2])
    if mode == "open":
        _kill_at(argv[3])
        Project.open(folder)
        print("not killed", flush=True)
        return
    real_encode = mask_saves.encode_mask_png
    if mode == "undo":
        mask_saves.encode_mask_png = lambda *a, **k: threading.Event().wait()  # never written
    else:
        def slow(mask: np.ndarray, compress_level: int = 6) -> bytes:
            time.sleep(0.005)
            return real_encode(mask, compress_level)

        mask_saves.encode_mask_png = slow
    project = Project.open(folder)
    project.save_in_background = True
    doc = project.open_document(project.ids[0])
    h, w = doc.shape
    if mode == "undo":
        tools.brush(doc, [(w * 0.2, h * 0.2), (w * 0.8, h * 0.7)], 4)
        doc.undo()
    else:
        rng = np.random.default_rng(5)
        for i in range(40):
            points = [(float(rng.uniform(0, w)), float(rng.uniform(0, h))) for _ in range(3)]
            (tools.erase if i % 4 == 3 else tools.brush)(doc, points, float(rng.uniform(1, 4)))
            if i == 30:
                doc.set_status("reviewed")
            project.finish_saves(wait=i % 10 == 5)  # the app's queued signal; now and then all written: a new log
        log = log_path(project.mask_path(doc.image_id))
        print("records", len(log.read_bytes().splitlines()) if log.exists() else 0, flush=True)
        if project.last_error is not None:
            print(f"E {project.last_error}", flush=True)
    np.save(out, doc.mask)
    print(doc.status.value, flush=True)
    _die()


if __name__ == "__main__":
    main(sys.argv[1:])
