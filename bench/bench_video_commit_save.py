"""What a commit on a video frame costs the GUI thread for its save, at 12 MP (4000×3000): "sync" saves the
PNG in the commit (``VideoAnnotations.save_in_background`` off: every version before session 28, and scripts
still); "background" appends the commit's record to the frame's recovery log and queues the PNG on the save
thread (``fosp_core.video.frame_saves``: the app since session 28).

    python bench/bench_video_commit_save.py [--repeats 7] [--size 3000x4000]

Copied into a checkout of the code before session 28 (no background saves there), its "background" column
is the sync save again and its "sync" column is what the code before did.

Per commit kind, the time of the timeline's commit handler (``VideoAnnotations._autosave``: the save part of
the commit, what the GUI thread spends besides painting), median over --repeats, the two ways alternating
repeat by repeat on fresh frames of one folder. Kinds: "first stroke" (a brush stroke, 600 px long, radius 15,
the first commit of a frame's document: the save thread is handed a whole copy), "next stroke" (another
stroke on that frame: only its rectangle), "accept" (the whole mask replaced, as Accept Prediction does),
"undo to none" (a stroke on a frame that had no mask, then at once Undo: the frame back to no mask while the
stroke's PNG is still being written; before session 29 the undo waited for that write on the GUI thread, since
then the save thread removes the files after it: ``fosp_core.video.frame_removals``).
Between commits the background save is waited for, outside the timing. Also the wait itself ("written in",
background only): from the commit's return until the save thread has written the PNG. Last, what a commit
on a frame whose analysis layers are up adds for its "ground truth" and "error map" layers
(``app.video.frame_truth``: the painted mask's error codes, ``mask == 1`` and the error map against the
prediction mask, over the whole frame (the first commit, an accept) or a stroke's rectangle (a later
stroke); their drawing on the canvas not counted), median over --repeats.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from fosp_core.analysis.results import error_codes, error_map  # noqa: E402
from fosp_core.annotation.tools import brush  # noqa: E402
from fosp_core.video.timeline import VideoAnnotations  # noqa: E402

KINDS = ("first stroke", "next stroke", "accept", "undo to none")


def plume(height: int, width: int, shift: int = 0) -> np.ndarray:
    """A disc of smoke a fifth of the frame across, and an ignore band near the top."""
    mask = np.zeros((height, width), np.uint8)
    yy, xx = np.ogrid[:height, :width]
    mask[(yy - height // 2) ** 2 + (xx - width // 2 - shift) ** 2 < (min(height, width) // 5) ** 2] = 1
    mask[height // 20:height // 10, width // 10:width * 3 // 4] = 255
    return mask


def one_round(notes: VideoAnnotations, frame: int, shape: tuple[int, int]) -> dict[str, tuple[float, float]]:
    """The three commits on `frame`: (handler seconds, seconds until written) per kind."""
    spent: list[float] = []
    real = notes._autosave

    def timed(*args: object) -> None:
        start = time.perf_counter()
        real(*args)  # type: ignore[arg-type]
        spent.append(time.perf_counter() - start)

    notes._autosave = timed  # type: ignore[method-assign]
    notes.save_mask(frame, plume(*shape, shift=frame))  # a frame with a saved mask, opened
    doc = notes.document(frame)
    out: dict[str, tuple[float, float]] = {}
    h, w = shape
    steps = {"first stroke": lambda: brush(doc, [(w // 3, h // 3), (w // 3 + 600, h // 3 + 40)], 15),
             "next stroke": lambda: brush(doc, [(w // 2, h // 4), (w // 2 + 600, h // 4 + 80)], 15),
             "accept": lambda: doc.replace_mask(plume(h, w, shift=frame + 200))}
    for kind in KINDS[:3]:
        assert steps[kind]()
        returned = time.perf_counter()
        getattr(notes, "finish_saves", lambda wait: 0)(wait=True)  # (a tree before session 28 has none)
        out[kind] = (spent[-1], time.perf_counter() - returned)
    fresh = notes.document(frame + 500)  # a frame without a mask: Undo takes it back to none
    assert brush(fresh, [(w // 3, h // 3), (w // 3 + 600, h // 3 + 40)], 15)
    assert fresh.undo()  # at once: the stroke's PNG still pending (background)
    returned = time.perf_counter()
    getattr(notes, "finish_saves", lambda wait: 0)(wait=True)
    out["undo to none"] = (spent[-1], time.perf_counter() - returned)
    assert not notes.mask_path(frame + 500).exists()
    notes._autosave = real  # type: ignore[method-assign]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--size", default="3000x4000", help="HxW")
    args = parser.parse_args()
    shape = tuple(int(v) for v in args.size.split("x"))
    assert len(shape) == 2
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {shape[1]}×{shape[0]}, "
          f"medians of {args.repeats} (ms)")
    times: dict[str, dict[str, list[tuple[float, float]]]] = {"sync": {k: [] for k in KINDS},
                                                               "background": {k: [] for k in KINDS}}
    with tempfile.TemporaryDirectory(dir=ROOT.parent if os.access(ROOT.parent, os.W_OK) else None) as tmp:
        ways = {way: VideoAnnotations(Path(tmp) / "cam.mp4", 1000, shape, folder=Path(tmp) / way) for way in times}
        ways["background"].save_in_background = True
        frame = 0
        for _ in range(args.repeats):
            for way, notes in ways.items():
                for kind, result in one_round(notes, frame, shape).items():  # type: ignore[arg-type]
                    times[way][kind].append(result)
            frame += 1
        getattr(ways["background"], "stop_saves", lambda: None)()
    print(f"{'commit':>13} {'sync':>8} {'background':>11} {'written in':>11}")
    for kind in KINDS:
        sync = 1000 * statistics.median(s for s, _ in times["sync"][kind])
        bg = 1000 * statistics.median(s for s, _ in times["background"][kind])
        wait = 1000 * statistics.median(w for _, w in times["background"][kind])
        print(f"{kind:>13} {sync:8.1f} {bg:11.1f} {wait:11.1f}")
    mask, predicted = plume(*shape), plume(*shape, shift=100) == 1  # type: ignore[misc]
    rects = {"whole frame": (0, shape[0], 0, shape[1]), "a stroke's rectangle": (1000, 1110, 1333, 1963)}
    for what, (y0, y1, x0, x1) in rects.items():
        spent = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            label = mask[y0:y1, x0:x1]
            codes = error_codes(label)
            _ = label == 1, error_map(predicted[y0:y1, x0:x1], label, codes)
            spent.append(time.perf_counter() - start)
        print(f"label layers remade, {what}: {1000 * statistics.median(spent):.2f} ms")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
