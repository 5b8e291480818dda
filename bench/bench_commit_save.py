"""Benchmark: the GUI thread's time in the project's save of one commit (`Project._autosave` with
`save_in_background`: `fosp_core.annotation.mask_saves.record_commit`) on huge photos, and its split.

    python bench/bench_commit_save.py [--sizes 4000x3000 8000x6000 12000x8000] [--rounds 3]
        [--before /tmp/tree-of-an-older-commit]

A real SMOKE5K photo's label (``bench/huge_photos.py``) upscaled to each size is the mask an Accept
sets over an empty mask (`AnnotationDocument.replace_mask`: the record keeps its bounding box), then
Undo takes it back; a "stroke" is a one-pixel change (the record keeps 1 pixel). Each commit is timed
around `Project._autosave` (what the document's ``committed`` signal runs on the GUI thread), the PNG
writer waited for between commits (outside the timing). "split" times the parts of the old save on
the accept's rectangle alone: bit-packing, base64 + JSON, the append's write(), its fsync (file and
folder: the log is new at each accept), and the whole-mask copy for the PNG writer.

With ``--before TREE`` the same runs with the package imported from TREE (e.g. ``git archive`` of an
older commit), child by child, interleaved with this tree's. Prints markdown tables of medians.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def split(label: object, folder: Path) -> dict[str, float]:
    """The old save's parts on the accept's rectangle of `label` (ms)."""
    import numpy as np

    from fosp_core.annotation.history import bounding_box
    from fosp_core.io.atomic import fsync_dir

    mask = np.asarray(label)
    y0, y1, x0, x1 = bounding_box(mask != 0)
    out: dict[str, float] = {}
    t = time.perf_counter()
    crop = np.ascontiguousarray(mask[y0:y1, x0:x1])
    smoke, ignore = np.packbits(crop == 1), np.packbits(crop == 255)
    out["pack"] = _ms(t)
    t = time.perf_counter()
    data = {"format": 1, "shape": list(mask.shape), "rect": [y0, y1, x0, x1], "status": "edited",
            "smoke": base64.b64encode(smoke).decode("ascii"), "ignore": base64.b64encode(ignore).decode("ascii")}
    line = json.dumps(data, separators=(",", ":")).encode("ascii") + b"\n"
    out["encode"] = _ms(t)
    path = folder / f"split-{time.monotonic_ns()}.recovery"
    t = time.perf_counter()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    os.write(fd, line)
    out["write"] = _ms(t)
    t = time.perf_counter()
    os.fsync(fd)
    fsync_dir(folder)
    out["fsync"] = _ms(t)
    os.close(fd)
    path.unlink()
    t = time.perf_counter()
    np.array(mask)
    out["copy"] = _ms(t)
    out["record_kib"] = len(line) / 1024
    return out


def child(tree: Path, size: str, rounds: int) -> int:
    """Commits on one photo with the package of `tree`; prints the measures as JSON."""
    sys.path[:0] = [str(tree), str(HERE)]
    import cv2
    import numpy as np
    from huge_photos import PHOTOS, photo

    from fosp_core.annotation.project import Project

    width, height = (int(v) for v in size.split("x"))
    _, label = photo(PHOTOS[0], width, height)
    tmp = Path(tempfile.mkdtemp(prefix="fosp-bench-commit-"))
    folder = tmp / "images"
    folder.mkdir()
    cv2.imwrite(str(folder / "frame.png"), np.zeros((height, width, 3), np.uint8))
    project = Project.open(folder)
    project.save_in_background = True
    timed: list[float] = []
    real = type(project)._autosave

    def autosave(self, doc, commit):  # noqa: ANN001, ANN202
        start = time.perf_counter()
        try:
            return real(self, doc, commit)
        finally:
            timed.append(_ms(start))

    type(project)._autosave = autosave  # type: ignore[method-assign]
    doc = project.open_document(project.ids[0])
    rows: dict[str, list[float]] = {"accept": [], "undo": [], "stroke": []}
    parts: list[dict[str, float]] = []
    for _ in range(rounds):
        for what, act in (("accept", lambda: doc.replace_mask(label)), ("undo", doc.undo),
                          ("stroke", lambda: doc.apply_patch((5, 6, 5, 6), 1 - int(doc.mask[5, 5])))):
            timed.clear()
            act()
            rows[what].append(sum(timed))
            project.finish_saves(wait=True)
            if project.last_error is not None:
                raise SystemExit(f"save failed: {project.last_error}")
        parts.append(split(label, project.mask_path(doc.image_id).parent))
    project.close()
    print(json.dumps({"rows": rows, "parts": parts}), flush=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", default=["4000x3000", "8000x6000", "12000x8000"])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", type=Path, help="a tree of an older commit to compare with")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(Path(args.child[0]), args.child[1], int(args.child[2]))
    trees = {"before": args.before, "after": ROOT} if args.before else {"now": ROOT}
    results: dict[tuple[str, str], dict] = {}
    loads = [os.getloadavg()[0]]
    for size in args.sizes:
        for i, name in enumerate(trees if args.sizes.index(size) % 2 == 0 else list(trees)[::-1]):
            done = subprocess.run([sys.executable, __file__, "--child", str(trees[name]), size, str(args.rounds)],
                                  capture_output=True, text=True, check=False, cwd=trees[name])
            lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
            if not lines:
                print(f"{name} {size}: exit {done.returncode}\n{done.stderr[-2000:]}", file=sys.stderr)
                continue
            results[(name, size)] = json.loads(lines[-1])
            loads.append(os.getloadavg()[0])
            print(f"{name} {size} ({i}): {lines[-1][:300]}", file=sys.stderr, flush=True)
    print(f"{args.rounds} commits of each kind per run, medians (ms on the calling thread); CPU {os.cpu_count()} "
          f"cores, load average {min(loads):.1f}-{max(loads):.1f}\n")
    print("| photo | tree | Accept save ms | Undo save ms | 1-pixel stroke save ms |")
    print("|---|---|---|---|---|")
    for size in args.sizes:
        mp = round(int(size.split("x")[0]) * int(size.split("x")[1]) / 1e6)
        for name in trees:
            run = results.get((name, size))
            if run is None:
                continue
            cells = " | ".join(f"{statistics.median(run['rows'][w]):.1f}" for w in ("accept", "undo", "stroke"))
            print(f"| {size} ({mp} MP) | {name} | {cells} |")
    print("\nSplit of the old save of an accept's record (its rectangle: the label's bounding box), ms:\n")
    print("| photo | pack | base64 + JSON | write() | fsync (file + folder) | whole-mask copy | record KiB |")
    print("|---|---|---|---|---|---|---|")
    for size in args.sizes:
        run = results.get((list(trees)[-1], size))
        if run is None:
            continue
        med = {k: statistics.median(p[k] for p in run["parts"]) for k in run["parts"][0]}
        print(f"| {size} | {med['pack']:.1f} | {med['encode']:.1f} | {med['write']:.1f} | {med['fsync']:.1f} "
              f"| {med['copy']:.1f} | {med['record_kib']:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
