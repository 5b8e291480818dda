"""Crash-test worker and model: a process that edits an annotation project at random and reports
what it saves, and the parent-side check of what a killed worker left on disk.

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

import errno
import hashlib
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from fosp_core.annotation.entries import apply_changes, journal_generation, parse_project
from fosp_core.annotation.recovery import apply_records, log_path, read_log
from fosp_core.io.masks import read_mask

HASH_NONE = "-"
#: where the worker may kill itself: each names a write step and when in it (see `_install_kill`)
KILL_POINTS = ("chunk", "before_replace", "after_replace", "fsync", "state_written", "journal_unlinked")
#: where a worker with background rewrites may kill itself (`KILL_POINTS` and during a rewrite)
BG_KILL_POINTS = ("rewriting", "state_written", "journal_unlinked", "chunk", "after_replace")


def mask_hash(mask: np.ndarray | None) -> str:
    """A short digest of a uint8 (H, W) mask's shape and bytes; `HASH_NONE` for no mask."""
    if mask is None:
        return HASH_NONE
    mask = np.ascontiguousarray(mask, dtype=np.uint8)
    return hashlib.sha1(repr(mask.shape).encode() + mask.tobytes()).hexdigest()[:16]


def smoke_ratio(mask: np.ndarray | None) -> str:
    """The share of smoke pixels as the project stores it (repr, exact through JSON); "-" for none."""
    if mask is None:
        return HASH_NONE
    return repr(float(np.count_nonzero(np.asarray(mask) == 1)) / float(mask.size))


def make_images(folder: Path, seed: int, count: int = 5) -> Path:
    """`count` small random PNG images of different sizes in `folder` (made), for a project."""
    import cv2

    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    for i in range(count):
        h, w = int(rng.integers(24, 72)), int(rng.integers(24, 72))
        image = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
        image[h // 3: 2 * h // 3] //= 4  # a darker band, some structure
        assert cv2.imwrite(str(folder / f"img{i:02d}.png"), image)
    return folder


# ------------------------------------------------------------------------------------ the worker
def _say(*parts: object) -> None:
    os.write(1, (" ".join(str(p) for p in parts).replace("\n", " ") + "\n").encode())


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _install_kill(spec: str) -> None:
    """Make the n-th call of one write step SIGKILL this process (spec "point:n")."""
    from fosp_core.annotation import project as project_module
    from fosp_core.annotation import project_compaction, project_open
    from fosp_core.io import atomic as atomic_io

    point, _, nth = spec.partition(":")
    left = [int(nth)]

    def due() -> bool:
        left[0] -= 1
        return left[0] <= 0

    if point == "chunk":  # half of a temp file's or a journal line's bytes written, then killed
        real_chunk = atomic_io._write_chunk

        def chunk(fd: int, data: memoryview) -> int:
            if due():
                real_chunk(fd, data[: max(len(data) // 2, 1)])
                _die()
            return real_chunk(fd, data)

        atomic_io._write_chunk = chunk
    elif point in ("before_replace", "after_replace"):
        real_replace = os.replace

        def replace(src: str | os.PathLike, dst: str | os.PathLike) -> None:
            if point == "before_replace" and due():
                _die()
            real_replace(src, dst)
            if point == "after_replace" and due():
                _die()

        os.replace = replace
    elif point == "fsync":
        real_fsync = os.fsync

        def fsync(fd: int) -> None:
            if due():
                _die()
            real_fsync(fd)

        os.fsync = fsync
    elif point == "rewriting":  # inside a background rewrite, the main thread saving meanwhile
        real_rewrite = project_compaction.atomic_write

        def rewrite(path: str | os.PathLike, data: bytes, **kwargs: object) -> None:
            if due():
                time.sleep(0.01)
                _die()
            real_rewrite(path, data, **kwargs)

        project_compaction.atomic_write = rewrite
    elif point in ("state_written", "journal_unlinked"):  # a project.json rewrite, around the journal's end
        real_atomic_write = project_module.atomic_write
        real_unlink = Path.unlink

        def atomic_write(path: str | os.PathLike, data: bytes, **kwargs: object) -> None:
            real_atomic_write(path, data, **kwargs)
            if point == "state_written" and Path(path).name == "project.json" and due():
                _die()

        def unlink(self: Path, missing_ok: bool = False) -> None:
            real_unlink(self, missing_ok=missing_ok)
            if point == "journal_unlinked" and self.name == "changes.jsonl" and due():
                _die()

        project_module.atomic_write = atomic_write  # the rewrites
        project_compaction.atomic_write = atomic_write  # the background ones
        project_open.atomic_write = atomic_write  # the first project.json, made on opening
        Path.unlink = unlink  # type: ignore[method-assign]
    else:
        raise SystemExit(f"unknown kill point {point!r}")


def _install_full_disk(share: float, rng: np.random.Generator) -> None:
    """Make `share` of the ``project.json`` rewrites fail with ENOSPC, half their temp file written."""
    from fosp_core.io import atomic as atomic_io

    real_chunk = atomic_io._write_chunk

    def chunk(fd: int, data: memoryview) -> int:
        if os.path.basename(os.readlink(f"/proc/self/fd/{fd}")).startswith(".project.json.") \
                and rng.random() < share:
            real_chunk(fd, data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_chunk(fd, data)

    atomic_io._write_chunk = chunk


def _slow_background_rewrites(rng: np.random.Generator) -> None:
    """Hold each background rewrite 0-15 ms before it writes: saves run while it does."""
    from fosp_core.annotation import project_compaction

    real_rewrite = project_compaction.atomic_write
    delays = [float(d) for d in rng.uniform(0, 0.015, 10_000)]  # drawn here: the rng is not thread-safe

    def rewrite(path: str | os.PathLike, data: bytes, **kwargs: object) -> None:
        time.sleep(delays.pop() if delays else 0.0)
        real_rewrite(path, data, **kwargs)

    project_compaction.atomic_write = rewrite


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
        _slow_background_rewrites(np.random.default_rng([seed, round_, 2]))
    if kill:
        _install_kill(kill)
    rng = np.random.default_rng([seed, round_])
    project = Project.open(folder)
    project.compact_in_background = background
    if project.read_only:
        _say("E", "read-only:", project.read_only_reason)
        return
    _say("O", os.getpid())
    if full:  # after the first opening, which may have to create project.json
        _install_full_disk(full, np.random.default_rng([seed, round_, 1]))
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


# ------------------------------------------------------------------------------------ the parent
#: the files a project folder may hold; anything else (a temp file after opening) is a stray
_KNOWN = {"project.json", "changes.jsonl", "lock"}


def disk_state(project_dir: Path) -> dict[str, tuple[str, str, str]]:
    """What a reader finds on disk, without opening (and so repairing) the project: each image's
    (mask hash, status, smoke ratio) as its mask file, ``project.json`` and the journal say, or, where
    a background save left a recovery log, as that log rebuilds them over the mask file
    (`fosp_core.annotation.recovery`, what opening the project applies)."""
    header, entries = parse_project(project_dir / "project.json")
    apply_changes(project_dir / "changes.jsonl", entries, journal_generation(header))
    states = {}
    for entry in entries:
        path = project_dir / "masks" / f"{entry.id}.png"
        mask = read_mask(path) if path.is_file() else None  # decodes: never a torn file
        if mask is not None and entry.size is not None:
            assert tuple(entry.size) == mask.shape, f"{entry.id}: size {entry.size}, mask {mask.shape}"
        ratio = HASH_NONE if entry.smoke_ratio is None else repr(float(entry.smoke_ratio))
        records = read_log(log_path(path))
        if records:
            mask, status = apply_records(mask, records)
            states[entry.id] = (mask_hash(mask), status, smoke_ratio(mask))
            continue
        states[entry.id] = (mask_hash(mask), entry.status.value, ratio)
    return states


def stray_files(project_dir: Path) -> list[Path]:
    """Files that are not the project's own (temporary files left by a crash)."""
    out = []
    for path in project_dir.rglob("*"):
        if path.is_dir():
            continue
        rel = path.relative_to(project_dir)
        if len(rel.parts) == 1 and rel.name in _KNOWN:
            continue
        if len(rel.parts) == 2 and rel.parts[0] in ("masks", "predictions") and rel.suffix == ".png" \
                and not rel.name.startswith("."):
            continue
        out.append(rel)
    return out


@dataclass
class ImageModel:
    """What the parent knows of one image: the last committed (mask hash, status, smoke ratio) and
    the save in flight when the worker died (None)."""

    committed: tuple[str, str, str] = (HASH_NONE, "unlabeled", HASH_NONE)
    pending: tuple[str, str, str] | None = None
    mask_save: bool = False  # the pending save writes the mask first


@dataclass
class Model:
    images: dict[str, ImageModel] = field(default_factory=dict)
    commits: int = 0
    torn: int = 0  # crashes that left an unfinished save's mask under the old state

    def feed(self, lines: list[str]) -> list[str]:
        """Take a worker's P, S and C lines (in order); returns inconsistencies in them."""
        problems = []
        for line in lines:
            kind, *rest = line.split()
            if kind in ("P", "S"):
                image = self.images.setdefault(rest[0], ImageModel())
                ratio = rest[3] if kind == "P" else image.committed[2]
                image.pending, image.mask_save = (rest[1], rest[2], ratio), kind == "P"
            elif kind == "C":
                image = self.images.setdefault(rest[0], ImageModel())
                if image.pending is not None:
                    image.committed, image.pending = image.pending, None
                if (rest[1], rest[2]) != image.committed[:2]:
                    problems.append(f"commit {line!r} is not what was saved: {image.committed}")
                self.commits += 1
        return problems

    def check(self, on_disk: dict[str, tuple[str, str, str]]) -> list[str]:
        """Problems of the disk state {id: (mask hash, status, smoke ratio)} against the model; the
        model then takes the disk state as the committed one (for the next round)."""
        problems = []
        for image_id, state in on_disk.items():
            image = self.images.setdefault(image_id, ImageModel())
            allowed = [image.committed]
            if image.pending is not None:
                allowed.append(image.pending)  # the save in flight finished
                if image.mask_save:  # or wrote its mask, not yet its state
                    allowed.append((image.pending[0], *image.committed[1:]))
            if state not in allowed:
                problems.append(f"{image_id}: on disk (mask, status, smoke ratio) {state}, committed "
                                f"{image.committed}, in flight {image.pending}")
                continue
            self.torn += state not in (image.committed, image.pending)
            image.committed, image.pending = state, None
        return problems


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
