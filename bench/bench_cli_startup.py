"""Start-up of the `fosp` commands that run no model: wall time of the whole process, and whether
torch and OpenCV (cv2) were imported.

    python bench/bench_cli_startup.py [--repeats 3]

Each command runs as ``python -m fosp_core ...`` in a fresh process (warm disk cache: the first
run of all is thrown away), on tiny inputs written to a temporary folder (a 4-image SMOKE5K-style
dataset, its annotation project, a 24-frame clip with 3 masks), so the time is start-up plus a
few milliseconds of work. A second process per command runs the same arguments through
``fosp_core.cli.main`` and says whether ``torch`` and ``cv2`` were in ``sys.modules`` after it.
Prints a markdown table: median and min of `--repeats` runs, and the load average at the start.
Results: docs/benchmarks-cli.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ROOT = Path(__file__).resolve().parents[1]

_MODULES_PROBE = ("import sys\nfrom fosp_core.cli import main\ntry:\n    main(sys.argv[1:])\n"
                  "except SystemExit:\n    pass\nprint('TORCH', 'torch' in sys.modules, 'CV2', 'cv2' in sys.modules)")


def make_inputs(folder: Path) -> dict[str, Path]:
    """The tiny dataset, project and labelled clip the commands read; returns their paths."""
    import cv2
    import numpy as np

    from fosp_core.annotation.project import Project
    from fosp_core.video.testclip import write_clip
    from fosp_core.video.timeline import VideoAnnotations

    data = folder / "data"
    (data / "img").mkdir(parents=True)
    (data / "gt").mkdir()
    rng = np.random.default_rng(0)
    for i in range(4):
        cv2.imwrite(str(data / "img" / f"s{i}.jpg"), rng.integers(0, 255, (48, 64, 3), np.uint8))
        mask = np.zeros((48, 64), np.uint8)
        mask[8:24, 10:30 + i] = 255
        cv2.imwrite(str(data / "gt" / f"s{i}.png"), mask)
    project = folder / "project"
    Project.open(data / "img", project).close()
    clip = write_clip(folder / "clip.mp4", frames=24, fps=12.0)
    notes = VideoAnnotations(clip, 24, (120, 160))
    mask = np.zeros(notes.shape, np.uint8)
    mask[10:30, 20:50] = 1
    for frame in (0, 8, 16):
        notes.save_mask(frame, mask)
    return {"data": data, "project": project, "clip": clip}


def commands(inputs: dict[str, Path], out: Path) -> dict[str, list[str]]:
    """Name -> arguments of the commands measured (outputs go under `out`, replaced each run)."""
    return {
        "fosp --help": ["--help"],
        "fosp video export --help": ["video", "export", "--help"],
        "fosp train --help": ["train", "--help"],
        "fosp dataset stats": ["dataset", "stats", str(inputs["data"])],
        "fosp dataset convert": ["dataset", "convert", str(inputs["data"]), str(out / "conv"), "--overwrite"],
        "fosp project status": ["project", "status", str(inputs["project"])],
        "fosp video export": ["video", "export", str(inputs["clip"]), str(out / "vid"), "--all-train",
                              "--frames", "edited", "--overwrite"],
    }


def time_once(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "fosp_core", *args], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def loaded(args: list[str]) -> tuple[bool, bool]:
    """Whether (torch, cv2) were imported by the command line `args`, run through fosp_core.cli.main."""
    done = subprocess.run([sys.executable, "-c", _MODULES_PROBE, *args], cwd=ROOT, capture_output=True,
                          text=True)
    return "TORCH True" in done.stdout, "CV2 True" in done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fosp-bench-cli-") as tmp:
        folder = Path(tmp)
        runs = commands(make_inputs(folder), folder / "out")
        time_once(["--help"])  # warm the disk cache and the bytecode
        print(f"load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores, {opts.repeats} runs each")
        print("| command | median s | min s | torch imported | cv2 imported |")
        print("|---|---|---|---|---|")
        for name, args in runs.items():
            times = [time_once(args) for _ in range(opts.repeats)]
            torch, cv2 = loaded(args)
            print(f"| {name} | {statistics.median(times):.3f} | {min(times):.3f} | "
                  f"{'yes' if torch else 'no'} | {'yes' if cv2 else 'no'} |", flush=True)


if __name__ == "__main__":
    main()
