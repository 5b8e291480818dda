"""Seconds a training step takes with glibc's default allocator and with `fosp train`'s own setting
(`fosp_core/train/allocator.py`), on the real data.

    python bench/bench_train_step.py [--data ../shared/data] [--iterations 40] [--crop 256]

Each row is one `fosp train small-cpu` run from the default weights (seed 0, batch 8, no
validation) in a throw-away runs folder; the time per step is measured from the run's own
`log.jsonl` between iteration 10 and the last, so start-up and the first steps are left out. Both
rows train the same batches, so their losses must agree. Run it with nothing else on the cores.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROWS = (("glibc defaults (FOSP_MALLOC=default)", "default"), ("fosp train's setting", ""))


def run(data: Path, iterations: int, crop: int, switch: str, runs: Path) -> tuple[float, float]:
    """(seconds a step over iterations 10..last, loss at the last) of one short run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_") and k != "GLIBC_TUNABLES"}
    env["FOSP_MALLOC"] = switch
    name = f"step-{switch or 'tuned'}"
    cmd = [sys.executable, "-m", "fosp_core", "train", "small-cpu", f"name={name}", f"data.root={data}",
           f"data.crop={crop}", f"model.init_from={ROOT / 'resources/models/fosp-default.safetensors'}",
           f"train.iterations={iterations}", "train.val_every=0", f"train.save_every={iterations + 1}",
           "train.seed=0", "train.log_every=10", "--runs-dir", str(runs), "--quiet"]
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    rows = [json.loads(line) for line in (runs / name / "log.jsonl").read_text().splitlines()]
    steps = {r["iter"]: r for r in rows if r.get("type") == "train"}
    first, last = 10, max(steps)
    return (steps[last]["time"] - steps[first]["time"]) / (last - first), float(steps[last]["loss"])


def cpu_name() -> str:
    """The CPU's model name (Linux), else the machine type."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--iterations", type=int, default=40)
    parser.add_argument("--crop", type=int, default=256)
    args = parser.parse_args()
    if not args.data.is_dir():
        raise SystemExit(f"data folder {args.data} not found (pass --data)")
    if args.iterations < 20 or args.iterations % 10:
        raise SystemExit("--iterations: a multiple of 10, at least 20")
    print(f"{cpu_name()}, {os.cpu_count()} cores; fosp-s, {args.crop}² crops, "
          f"batch 8, iterations 10..{args.iterations}\n")
    print("| allocator | s / iteration | loss at the end |\n|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="fosp-bench-step-") as tmp:
        for label, switch in ROWS:
            seconds, loss = run(args.data.resolve(), args.iterations, args.crop, switch, Path(tmp))
            print(f"| {label} | {seconds:.2f} | {loss:.5f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
