"""Benchmark: Accept Prediction (Shift+A, ``app.annotation.commands.accept_prediction``) on a
4000x3000 image, what it holds the GUI thread for: the command (``cleanup.accept_prediction``, its
undo step, the "no smoke predicted" check), then its undo. Before and now interleaved run by run:

* before: the command reading the whole float32 map for its row and column maxima (no profile
  prepared: ``fosp_core.annotation.prediction_profile.PROFILES`` cleared);
* now: the map's profile prepared as the app does when the prediction arrives (read on a worker
  thread, waited for before the command is timed: in the app it is ready long before Shift+A),
  so the command reads only the box it changes; the worker's read is a column of its own;
* with ``--e7bc959``, also U2's before (e7bc959): the undo step's patches zlib-compressed as bytes,
  then the whole mask compared with SMOKE for the message (no profile);
* with ``--r1``, also R1's before: the whole prediction, then ``replace_mask`` (with now's history).

The probability is made from a real SMOKE5K photo's label (``../shared/data/smoke5k-train``, upscaled
to the size, blurred, plus smooth noise: smoke with real edges), the starting mask is

* empty: an unlabeled image (what Shift+A is mostly for);
* label: the image's label (a mask someone drew; the prediction differs at the edges);
* corner: a small plume (a 300x400 box in a corner) on an empty mask: early smoke.

Prints a markdown table: median and p90 ms of the command and of its undo, the history's bytes, the
peak of numpy's allocations (tracemalloc), and the worker's read of the profile (now only).

    python bench/bench_accept_prediction.py [--repeats 9] [--size 4000x3000] [--photo NAME] [--r1] [--e7bc959]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from app.annotation import commands  # noqa: E402
from bench.history_before import zlib_history  # noqa: E402
from fosp_core.annotation import cleanup  # noqa: E402
from fosp_core.annotation.document import AnnotationDocument, Status  # noqa: E402
from fosp_core.annotation.history import Patch, Rect  # noqa: E402
from fosp_core.annotation.prediction_profile import PROFILES  # noqa: E402
from fosp_core.data.types import SMOKE  # noqa: E402

SMOKE5K = Path(__file__).resolve().parents[2] / "shared" / "data" / "smoke5k-train"
PHOTO = "ckakldp3vdjmg0b12dcxe2tgz"  # a real camera photo, 12 % smoke
Command = Callable[["Host"], bool]


class Host:
    """What ``commands.accept_prediction`` uses of the controller (a document, its threshold, the
    status bar, ``run``), without Qt."""

    def __init__(self, doc: AnnotationDocument, threshold: float = 0.5) -> None:
        self.document = doc
        self.state = SimpleNamespace(threshold=threshold)
        self.message = SimpleNamespace(emit=lambda text, ms: None)
        self.attached = False

    def editable(self, needs_probability: bool = False) -> AnnotationDocument:
        return self.document

    def run(self, label: str, operation: Callable[[AnnotationDocument], object],
            needs_probability: bool = False) -> bool:
        return bool(operation(self.document))


def before_command(host: Host) -> bool:
    """``commands.accept_prediction`` before: the zlib history, then the whole mask scanned."""
    with zlib_history():
        threshold = host.state.threshold
        changed = host.run("Accept prediction", lambda d: cleanup.accept_prediction(d, threshold), True)
        doc = host.document
        start = time.perf_counter()
        if changed and not (doc.mask == SMOKE).any():
            host.message.emit("Accept prediction: no smoke predicted", 5000)
        PARTS["check"] += time.perf_counter() - start
        return changed


def r1_command(host: Host) -> bool:
    """R1's before: the whole prediction (bool, then uint8), ``replace_mask`` (now's history)."""
    doc = host.document
    new_mask = (np.asarray(doc.probability) > host.state.threshold).astype(np.uint8)
    with doc.history_block("accept prediction"):
        changed = doc.replace_mask(new_mask, label="accept prediction")
        if changed or doc.status == Status.UNLABELED:
            doc.set_status(Status.PREDICTED)
            changed = True
    return changed


def scene(photo: str, width: int, height: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """{case: (probability, starting mask)}."""
    gt = cv2.imread(str(SMOKE5K / "gt" / f"{photo}.png"), cv2.IMREAD_GRAYSCALE)
    if gt is None:
        raise SystemExit(f"no label {photo} under {SMOKE5K}")
    label = cv2.resize((gt > 127).astype(np.uint8), (width, height), interpolation=cv2.INTER_NEAREST)
    blurred = cv2.GaussianBlur(label.astype(np.float32), (0, 0), width / 100)
    noise = cv2.resize(np.random.default_rng(0).random((24, 32), np.float32), (width, height))
    probability = np.clip(0.8 * blurred + 0.35 * (noise - 0.5), 0.0, 1.0).astype(np.float32)
    corner = np.zeros((height, width), np.float32)
    plume = cv2.GaussianBlur(np.pad(np.ones((200, 300), np.float32), 50), (0, 0), 20)
    corner[height - 300:, width - 400:] = plume
    empty = np.zeros((height, width), np.uint8)
    return {"empty": (probability, empty), "label": (probability, label), "corner": (corner, empty)}


@dataclass
class Timing:
    """One Accept Prediction on a fresh document: ms of the command, of its undo step's patches
    (``_collect_patches``: compare, pack), of the smoke check, of its undo; numpy's peak MB (when
    traced), the history's bytes and the accepted mask."""

    total: float
    profile: float
    step: float
    check: float
    undo: float
    peak: float
    stored: int
    accepted: np.ndarray


PARTS = {"step": 0.0, "check": 0.0}  # seconds in the parts timed, this run


def timing_parts() -> None:
    """Time the undo step's patches and now's smoke check (wrappers, for the whole bench)."""
    collect, holds_smoke = AnnotationDocument._collect_patches, commands._holds_smoke

    def timed_collect(doc: AnnotationDocument) -> list[Patch]:
        start = time.perf_counter()
        try:
            return collect(doc)
        finally:
            PARTS["step"] += time.perf_counter() - start

    def timed_check(mask: np.ndarray, changed: Rect | None) -> bool:
        start = time.perf_counter()
        try:
            return holds_smoke(mask, changed)
        finally:
            PARTS["check"] += time.perf_counter() - start

    tile_patches = cleanup.tile_patches  # the prepared step's patches (since 93492bc), not the snapshots'

    def timed_tiles(mask: np.ndarray, rect: Rect, new: np.ndarray) -> list[Patch]:
        start = time.perf_counter()
        try:
            return tile_patches(mask, rect, new)
        finally:
            PARTS["step"] += time.perf_counter() - start

    AnnotationDocument._collect_patches = timed_collect  # type: ignore[method-assign]
    cleanup.tile_patches = timed_tiles
    commands._holds_smoke = timed_check


def profiled_command(host: Host) -> bool:
    """Now: ``commands.accept_prediction`` with the map's profile prepared (`run` prepares it)."""
    return commands.accept_prediction(host)


def run(command: Command, probability: np.ndarray, mask: np.ndarray, trace: bool = False) -> Timing:
    """Accept the prediction with `command` on a fresh document, then undo it; for `profiled_command`
    the map's profile is read first (on the worker, as when a prediction arrives), timed apart."""
    doc = AnnotationDocument(mask.shape, mask=mask, probability=probability)
    host = Host(doc)
    PARTS.update(step=0.0, check=0.0)
    PROFILES.clear()
    profile = 0.0
    if command is profiled_command:
        start = time.perf_counter()
        PROFILES.prepare(doc.probability)
        if PROFILES.ready(doc.probability) is None:
            raise SystemExit("the profile was not prepared")
        profile = (time.perf_counter() - start) * 1000
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    command(host)
    took = (time.perf_counter() - start) * 1000
    peak = tracemalloc.get_traced_memory()[1] / 1e6 if trace else 0.0
    if trace:
        tracemalloc.stop()
    accepted, stored = doc.mask.copy(), doc.history.nbytes
    with zlib_history() if command is before_command else nullcontext():
        start = time.perf_counter()
        doc.undo()
        undo = (time.perf_counter() - start) * 1000
    if not np.array_equal(doc.mask, mask):
        raise SystemExit("undo did not give the starting mask back")
    return Timing(took, profile, PARTS["step"] * 1000, PARTS["check"] * 1000, undo, peak, stored, accepted)


def table_cells(runs: dict[str, list[Timing]], first: dict[str, Timing]) -> list[str]:
    """One case's cells, each "way / way" (medians and p90 of the interleaved runs)."""
    def cell(value: Callable[[str], float], digits: int = 1) -> str:
        return " / ".join(f"{value(w):.{digits}f}" for w in runs)

    def median(part: str) -> Callable[[str], float]:
        return lambda w: statistics.median(getattr(t, part) for t in runs[w])

    return [cell(median("total")), cell(lambda w: _p90([t.total for t in runs[w]])),
            cell(median("step"), 2), cell(median("check"), 2), cell(median("undo"), 2),
            cell(lambda w: first[w].stored / 1024), cell(lambda w: first[w].peak), cell(median("profile"), 2)]


def _p90(values: list[float]) -> float:
    return sorted(values)[int(0.9 * (len(values) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--size", default="4000x3000")
    parser.add_argument("--photo", default=PHOTO, help="SMOKE5K image name")
    parser.add_argument("--r1", action="store_true", help="also R1's before (replace_mask)")
    parser.add_argument("--e7bc959", action="store_true", help="also U2's before (zlib history, whole-mask check)")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    cases = scene(args.photo, width, height)
    ways: dict[str, Command] = {"before": commands.accept_prediction, "now": profiled_command}
    if args.e7bc959:
        ways = {"e7bc959": before_command, **ways}
    if args.r1:
        ways = {"R1 before": r1_command, **ways}
    timing_parts()
    rows = []
    loads = [os.getloadavg()[0]]
    for case, (probability, mask) in cases.items():
        first = {way: run(command, probability, mask, trace=True) for way, command in ways.items()}
        if any(not np.array_equal(first["now"].accepted, t.accepted) for t in first.values()):
            raise SystemExit(f"{case}: the accepted masks differ")
        runs: dict[str, list[Timing]] = {way: [] for way in ways}
        for i in range(args.repeats):  # interleaved, the order alternating
            for way in (list(ways) if i % 2 == 0 else list(ways)[::-1]):
                runs[way].append(run(ways[way], probability, mask))
        rows.append((case, runs, first))
        loads.append(os.getloadavg()[0])
    print(f"Accept Prediction on {width}x{height} ({args.photo}), {args.repeats} runs each, "
          f"{' / '.join(ways)} interleaved; CPU {os.cpu_count()} cores, load average "
          f"{min(loads):.1f}-{max(loads):.1f}\n")
    print("| start mask | median ms | p90 ms | of which: undo step's patches, median ms | smoke check, "
          "median ms | undo median ms | history KiB | peak numpy MB | profile on the worker, median ms |")
    print("|---|---|---|---|---|---|---|---|---|")
    for case, runs, first in rows:
        print(f"| {case} | " + " | ".join(table_cells(runs, first)) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
