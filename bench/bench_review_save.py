"""What pressing R (mark reviewed) and undoing it costs in an annotation project, 4000x3000 mask.

    python bench/bench_review_save.py [--repeat 15]

A status-only change of an open document is saved as one journal line when the mask file already
holds the document's mask; before, every commit rewrote the whole mask PNG. Both are timed in the
same run, interleaved (A B B A ...): "full" forgets what the project knows of the mask file before
each change, so the save takes the full path (the mask written, then the journal line) exactly as
every save did before; "status only" is the save as it is now. On code without the status-only
save both columns time the full path. Prints a Markdown table of medians (ms), with the load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fosp_core.annotation.document import Status  # noqa: E402
from fosp_core.annotation.project import Project  # noqa: E402
from fosp_core.io.masks import read_mask  # noqa: E402

H, W = 3000, 4000


def real_mask() -> np.ndarray:
    """The demo mask with the most smoke, scaled to 4000x3000 (nearest neighbour)."""
    paths = sorted((ROOT / "resources" / "demo" / "SegmentationClass").glob("*.png"))
    mask = max((read_mask(p) for p in paths), key=lambda m: int((m == 1).sum()))
    return cv2.resize(mask, (W, H), interpolation=cv2.INTER_NEAREST)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    times: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        images = Path(tmp) / "photos"
        images.mkdir()
        cv2.imwrite(str(images / "photo.png"), np.zeros((8, 8, 3), np.uint8))  # only its name is used
        with Project.open(images) as project:
            image_id = project.ids[0]
            project.entry(image_id).size = (H, W)
            project.save_mask(image_id, real_mask(), Status.PREDICTED)
            doc = project.open_document(image_id, image_shape=(H, W))
            saved_masks = getattr(project, "_saved_masks", None)
            for i in range(args.repeat):
                for mode in (("full", "status only") if i % 2 == 0 else ("status only", "full")):
                    for what, change in (("R", lambda: doc.set_status(Status.REVIEWED)), ("undo R", doc.undo)):
                        if mode == "full" and saved_masks is not None:
                            saved_masks.forget(image_id)
                        t0 = time.perf_counter()
                        change()
                        times.setdefault((what, mode), []).append((time.perf_counter() - t0) * 1000.0)
                        assert project.is_saved(doc) and project.last_error is None
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{W}x{H} mask, {args.repeat} interleaved runs each, load average {load:.1f} on {os.cpu_count()} cores"
          + ("" if saved_masks is not None else " (no status-only save in this code: both columns are full saves)"))
    print("| change | full save (before), median ms | status-only save (now), median ms |")
    print("|---|---|---|")
    for what in ("R", "undo R"):
        full, only = (statistics.median(times[(what, m)]) for m in ("full", "status only"))
        print(f"| {what} | {full:.1f} | {only:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
