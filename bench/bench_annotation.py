"""Speed and memory of the annotation document on a 4000x3000 mask (no GUI: document operations only).

    python bench/bench_annotation.py [--repeat 5] [--markdown docs/benchmarks-annotation.md]
                                     [--history before] [--no-saves]

Measures, on a real demo mask scaled to 4000x3000 (nearest neighbour) with a blurred probability map:
- one brush segment (`BrushStroke.add_point`) for several radii: time and dirty-rectangle size;
- closing a stroke (history step creation) and undo / redo of a large stroke and of whole-image tools;
- memory of 200 undo steps (history bytes and the process's resident-memory growth);
- an autosave (palette PNG + a journal line, fsynced) of a 4000x3000 mask, and of a 1024x768 mask in
  projects of 50, 5 053 (SMOKE5K) and 100 000 images, and a full `project.json` write at each size.
Prints a Markdown table (median of `--repeat` runs where timed). ``--history before`` stores the undo
patches as before session 24's U2 (zlib of the bytes, `bench/history_before.py`): run it and the
default alternately to compare; ``--no-saves`` leaves out the autosave rows.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.history_before import zlib_history  # noqa: E402
from fosp_core.annotation import cleanup, tools  # noqa: E402
from fosp_core.annotation.document import AnnotationDocument  # noqa: E402
from fosp_core.annotation.entries import ImageEntry  # noqa: E402
from fosp_core.annotation.project import Project  # noqa: E402
from fosp_core.io.masks import read_mask  # noqa: E402

H, W = 3000, 4000


def grow_project(project: Project, n: int) -> None:
    """Give `project` (one photo) n - 1 more entries in memory, like SMOKE5K's, and write its state."""
    project.entries += [ImageEntry(id=f"{i:06d}", image=f"img/{i:06d}.jpg", label=f"gt/{i:06d}.png",
                                   split="smoke5k-train", size=(768, 1024), smoke_ratio=0.01)
                        for i in range(1, n)]
    project.write_state()


def rss_mb() -> float:
    """Resident memory of this process in MB (Linux /proc; 0 elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return 0.0


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of fn() in milliseconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000.0)
    return statistics.median(times)


def real_mask() -> np.ndarray:
    paths = sorted((ROOT / "resources" / "demo" / "SegmentationClass").glob("*.png"))
    mask = max((read_mask(p) for p in paths), key=lambda m: int((m == 1).sum()))
    return cv2.resize(mask, (W, H), interpolation=cv2.INTER_NEAREST)


def random_walk(rng: np.random.Generator, n: int, step: float) -> list[tuple[float, float]]:
    x, y = rng.uniform(500, W - 500), rng.uniform(500, H - 500)
    pts = []
    for _ in range(n):
        a = rng.uniform(0, 2 * np.pi)
        x = float(np.clip(x + step * np.cos(a), 0, W - 1))
        y = float(np.clip(y + step * np.sin(a), 0, H - 1))
        pts.append((x, y))
    return pts


def _project_size_rows(tmp: Path, repeat: int, rng: np.random.Generator) -> list[tuple[str, str, str]]:
    """Autosave of a 1024x768 mask as the project grows (entries added in memory, like SMOKE5K's)."""
    images = tmp / "photos"
    images.mkdir()
    cv2.imwrite(str(images / "photo.jpg"), np.zeros((768, 1024, 3), np.uint8))
    rows = []
    for n in (50, 5053, 100_000):
        shutil.rmtree(images / ".fosp", ignore_errors=True)
        with Project.open(images) as project:
            first = project.entries[0]
            grow_project(project, n)
            doc = project.open_document(first.id, image_shape=(768, 1024))
            save = timed(lambda d=doc: tools.brush(d, [(100 + rng.uniform(0, 800), 400)], 20), repeat)
            full = timed(project.write_state, repeat)
            size = (project.folder / "project.json").stat().st_size / 2**20
        rows.append((f"brush dot + autosave, 1024x768, project of {n:,} images", f"{save:.0f} ms",
                     f"a full project.json write ({size:.1f} MiB), as every save made before the journal: "
                     f"{full:.0f} ms"))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--markdown", type=Path, default=None, help="also write the table to this file")
    parser.add_argument("--history", choices=("now", "before"), default="now",
                        help="how undo patches are stored: now, or before U2 (zlib of the bytes)")
    parser.add_argument("--no-saves", action="store_true", help="leave out the autosave rows")
    args = parser.parse_args()
    with zlib_history() if args.history == "before" else nullcontext():
        rows = document_rows(args.repeat)
    if not args.no_saves:
        rows += save_rows(args.repeat)
    header = (f"Machine: {platform.machine()}, {platform.system()}, Python {platform.python_version()}, "
              f"numpy {np.__version__}, OpenCV {cv2.__version__}; mask {W}x{H} uint8; undo history "
              f"{args.history}; load average {os.getloadavg()[0]:.1f}.")
    lines = [header, "", "| operation | time / memory | notes |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    table = "\n".join(lines)
    print(table)
    if args.markdown:
        args.markdown.write_text(table + "\n", encoding="utf-8")
    return 0


def document_rows(repeat: int) -> list[tuple[str, str, str]]:
    """Brush segments, a large stroke and its undo, whole-image tools, 200 undo steps."""
    rng = np.random.default_rng(0)
    base = real_mask()
    prob = cv2.GaussianBlur((base == 1).astype(np.float32), (0, 0), 20)
    rows: list[tuple[str, str, str]] = []

    # 1. one brush segment of 20 px
    for radius in (5, 25, 100):
        doc = AnnotationDocument((H, W), base, prob)
        stroke = tools.BrushStroke(doc, radius)
        stroke.add_point(1000, 1000)
        state = {"x": 1000.0}
        rects = []

        def segment(stroke=stroke, state=state, rects=rects) -> None:
            state["x"] += 20
            rects.append(stroke.add_point(state["x"], 1000 + 0.3 * state["x"] % 7))

        ms = timed(segment, max(repeat, 20))
        y0, y1, x0, x1 = rects[-1]
        stroke.finish()
        rows.append((f"brush segment 20 px, radius {radius}", f"{ms:.3f} ms",
                     f"dirty rect {y1 - y0}x{x1 - x0} px"))
    doc = AnnotationDocument((H, W), base, prob)
    stroke = tools.BrushStroke(doc, 25, only_where_prob_above=0.5)
    stroke.add_point(1500, 1200)
    state = {"x": 1500.0}

    def masked_segment() -> None:
        state["x"] += 20
        stroke.add_point(state["x"], 1200)

    ms = timed(masked_segment, max(repeat, 20))
    stroke.finish()
    rows.append(("threshold-aware brush segment 20 px, radius 25", f"{ms:.3f} ms", "p > 0.5 only"))

    # 2. a large stroke: radius 100, 150 segments across the image diagonal (and back, shifted)
    xs = np.linspace(200, W - 200, 150)
    pts = [(float(x), float(200 + (x - 200) * (H - 400) / (W - 400))) for x in xs]
    pts += [(float(x), float(y + 300)) for x, y in reversed(pts) if y + 300 < H]
    finish_ms, undo_ms, redo_ms, nbytes = [], [], [], 0
    for _ in range(repeat):
        doc = AnnotationDocument((H, W), base, prob)
        stroke = tools.BrushStroke(doc, 100)
        for x, y in pts:
            stroke.add_point(x, y)
        t0 = time.perf_counter()
        stroke.finish()
        finish_ms.append((time.perf_counter() - t0) * 1000)
        nbytes = doc.history.nbytes
        rect = doc.history._undo[-1].rect
        undo_ms.append(timed(doc.undo, 1))
        redo_ms.append(timed(doc.redo, 1))
    y0, y1, x0, x1 = rect
    rows.append((f"large stroke (r 100, {len(pts)} segments, corner to corner and back) - finish / commit step", f"{statistics.median(finish_ms):.1f} ms",
                 f"bbox {y1 - y0}x{x1 - x0}, stored {nbytes / 1024:.0f} KiB"))
    rows.append(("undo of that large stroke", f"{statistics.median(undo_ms):.1f} ms", "target < 50 ms"))
    rows.append(("redo of that large stroke", f"{statistics.median(redo_ms):.1f} ms", ""))

    # 3. whole-image tools and their undo
    for name, fn in (("accept prediction", lambda d: cleanup.accept_prediction(d, 0.3)),
                     ("dilate 5 px", lambda d: cleanup.dilate(d, 5)),
                     ("fill holes", cleanup.fill_holes),
                     ("remove specks < 500", lambda d: cleanup.remove_specks(d, 500)),
                     ("smooth 3 px", lambda d: cleanup.smooth(d, 3))):
        op_ms, u_ms, stored = [], [], 0
        for _ in range(max(1, repeat // 2)):
            doc = AnnotationDocument((H, W), base, prob)
            op_ms.append(timed(lambda d=doc, f=fn: f(d), 1))
            stored = doc.history.nbytes
            changed = int(np.count_nonzero(doc.mask != base))
            u_ms.append(timed(doc.undo, 1) if doc.can_undo else 0.0)
        rows.append((f"{name} (whole 4000x3000 mask) / its undo",
                     f"{statistics.median(op_ms):.0f} ms / {statistics.median(u_ms):.1f} ms",
                     f"{changed} px changed, stored {stored / 1024:.0f} KiB"))

    # 4. memory of 200 undo steps
    for label, make_step in (
        ("200 large brush strokes (r 50, 40 segments of 50 px)",
         lambda d: tools.brush(d, random_walk(rng, 40, 50), 50, value=(1, 255)[d.history.undo_count % 2])),
        ("200 big polygon fills/cuts (random 8-gons, ~1/4 of the image each)",
         lambda d: tools.polygon_fill(d, [(float(rng.uniform(0, W)), float(rng.uniform(0, H))) for _ in range(8)],
                                      (1, 0)[d.history.undo_count % 2])),
        ("200 whole-image steps (accept prediction at p > 0.2 / p > 0.8 alternating)",
         lambda d: cleanup.accept_prediction(d, (0.2, 0.8)[d.history.undo_count % 2])),
    ):
        doc = AnnotationDocument((H, W), base, prob, max_undo_steps=256)
        before = rss_mb()
        t0 = time.perf_counter()
        for _ in range(200):
            make_step(doc)
        total = time.perf_counter() - t0
        grown = rss_mb() - before
        values = sum(len(p._old) + len(p._new) for step in doc.history._undo for p in step.patches)
        t_undo = time.perf_counter()
        n = 0
        while doc.undo():
            n += 1
        undo_all = time.perf_counter() - t_undo
        ok = np.array_equal(doc.mask, base)
        rows.append((label, f"history {doc.history.nbytes / 2**20:.1f} MiB (patch values "
                            f"{values / 2**20:.1f} MiB), RSS +{grown:.0f} MB",
                     f"{n} undos in {undo_all:.2f} s ({total:.1f} s to make); restored exactly: {ok}"))

    return rows


def save_rows(repeat: int) -> list[tuple[str, str, str]]:
    """Autosave of a 4000x3000 mask and of a 1024x768 one as the project grows."""
    rng = np.random.default_rng(1)
    rows: list[tuple[str, str, str]] = []
    # 5. autosave of a 4000x3000 mask
    tmp = Path(tempfile.mkdtemp(prefix="fosp-bench-"))
    try:
        images = tmp / "imgs"
        images.mkdir()
        cv2.imwrite(str(images / "big.jpg"), np.zeros((H, W, 3), np.uint8))
        with Project.open(images) as project:
            doc = project.open_document("big", image_shape=(H, W))
            ms = timed(lambda: tools.brush(doc, [(100 + rng.uniform(0, 3000), 1500)], 30), repeat)
            rows.append(("brush dot + autosave (PNG + journal line, fsync) 4000x3000", f"{ms:.0f} ms",
                         "runs after the stroke is released"))
        rows += _project_size_rows(tmp, repeat, rng)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    return rows


if __name__ == "__main__":
    raise SystemExit(main())
