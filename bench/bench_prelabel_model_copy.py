"""What Pre-label All's own copy of the loaded model costs in memory (app/annotation/prelabel_runs.py).

    python bench/bench_prelabel_model_copy.py [--checkpoint resources/models/fosp-default.safetensors] [--rounds 3]

In a fresh process each round, as in the window: torch and the package imported, the window's model
loaded (`fosp_core.infer.Predictor`, CPU, fp32, 512 px input) and run once on a real photo; then the
pre-label job's copy loaded the way `PrelabelJob.work` loads it, and run on the next photo with
`predict_batch` as the job does. Prints the process's resident set (VmRSS) growth of each step in MB
(10^6 bytes), and the copy's parameters + buffers. Photos: SMOKE5K's first real ones under
../shared/data (a 512x512 gradient without them).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "resources" / "models" / "fosp-default.safetensors"
PHOTOS = ROOT.parent / "shared" / "data" / "smoke5k-train" / "img"


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024 / 1e6
    return float("nan")


def _photos() -> list:
    import numpy as np

    from fosp_core.io.images import read_image

    names = sorted(p for p in PHOTOS.glob("*.jpg") if not p.stem.replace("_", "").isdigit())[:2] if PHOTOS.is_dir() else []
    if len(names) == 2:
        return [read_image(p).rgb for p in names]
    ramp = np.linspace(0, 255, 512, dtype=np.uint8)
    return [np.dstack([np.tile(ramp, (512, 1))] * 3)] * 2


def _child(checkpoint: Path, cold: bool) -> None:
    sys.path.insert(0, str(ROOT))
    import torch

    from fosp_core.infer import Predictor

    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    first, second = _photos()
    window = Predictor(checkpoint, device="cpu", precision="fp32", input_size=512)
    if not cold:  # the window has run an image: the heap holds what its activations freed
        window.predict(first)
    gc.collect()
    base = _rss_mb()
    copy = Predictor(checkpoint, device="cpu", precision="fp32", input_size=512)  # PrelabelJob.work's copy
    loaded = _rss_mb()
    copy.predict_batch([second], tau=window.tau, need=())
    ran = _rss_mb()
    tensors = list(copy.model.parameters()) + list(copy.model.buffers())
    held = sum(t.numel() * t.element_size() for t in tensors) / 1e6
    del copy
    gc.collect()
    print(json.dumps({"load": loaded - base, "run": ran - loaded, "after_del": _rss_mb() - base, "held": held,
                      "window": base}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", type=Path, default=DEFAULT)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", choices=("warm", "cold"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.checkpoint, args.child == "cold")
        return
    rows: dict[str, list[dict]] = {"warm": [], "cold": []}
    for _ in range(args.rounds):  # interleaved
        for mode, got in rows.items():
            out = subprocess.run([sys.executable, __file__, "--child", mode, "--checkpoint", str(args.checkpoint)],
                                 check=True, capture_output=True, text=True).stdout
            got.append(json.loads(out.strip().splitlines()[-1]))
    print(f"{args.checkpoint.name} ({args.checkpoint.stat().st_size / 1e6:.1f} MB file), CPU fp32 512 px, "
          f"{args.rounds} fresh processes each (min / median / max), load average {os.getloadavg()[0]:.1f}\n")
    print("| RSS growth (MB) | window's model has run an image | window's model loaded, not run |")
    print("|---|---:|---:|")

    def cell(mode: str, key: str) -> str:
        values = [r[key] for r in rows[mode]]
        return f"{min(values):.1f} / {statistics.median(values):.1f} / {max(values):.1f}"

    for key, words in (("window", "the process with the window's model (total)"), ("load", "pre-label's copy loaded"),
                       ("run", "its first image (predict_batch)"), ("after_del", "left after the copy is let go"),
                       ("held", "the copy's parameters + buffers")):
        print(f"| {words} | {cell('warm', key)} | {cell('cold', key)} |")


if __name__ == "__main__":
    main()
