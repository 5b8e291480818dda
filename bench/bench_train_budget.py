"""How long `fosp train RECIPE train.time_budget_s=B` takes in all, against its budget.

    python bench/bench_train_budget.py [--budget 60] [--val-max-images 0 2] [--repo BEFORE ...] [--set K=V ...]

Runs ``python -m fosp_core train small-cpu data.root=/work/shared/data train.time_budget_s=B`` in a
fresh process per row (cwd: each `--repo`, default this checkout; a clone at an older commit gives
the "before" rows), rows interleaved repo by repo, and prints a markdown table: the whole process's
wall time, the iterations it ran, the final validation's seconds (the run log's last `val`
record) and images (when the budget shortened it: its `time_budget_validation` event) and what the run said of its budget (its `time budget` and `in all` lines). The load
average at each row's start is printed too: the machine is shared. Results: docs/training.md
("A time budget is the whole command's").
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path("/work/shared/data")


def one_run(repo: Path, budget: float, val_max: int, runs: Path, name: str, extra: list[str]) -> dict[str, object]:
    """One `fosp train` process under `budget` seconds; its wall time and what it said."""
    cmd = [sys.executable, "-m", "fosp_core", "train", "small-cpu", f"data.root={DATA}",
           f"train.time_budget_s={budget:g}", f"train.val_max_images={val_max}", f"name={name}",
           "--runs-dir", str(runs), "--quiet", *extra]
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=repo, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    said = (done.stdout + done.stderr).splitlines()
    records = [json.loads(line) for line in (runs / name / "log.jsonl").read_text().splitlines() if line]
    vals = [r for r in records if r.get("type") == "val"]
    shortened = [r for r in records if r.get("event") == "time_budget_validation"]
    trains = [r for r in records if r.get("type") == "train"]
    return {"repo": repo.name, "val_max": val_max, "load": load, "wall": wall, "rc": done.returncode,
            "iterations": trains[-1]["iter"] if trains else 0, "val_sec": vals[-1]["sec"] if vals else 0.0,
            "val_images": f"{shortened[-1]['images']} (shortened)" if shortened else "as set",
            "said": [s for s in said if s.startswith(("time budget", "in all"))]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--budget", type=float, default=60.0)
    ap.add_argument("--val-max-images", type=int, nargs="+", default=[0])
    ap.add_argument("--repo", type=Path, nargs="+", default=[ROOT])
    ap.add_argument("--set", nargs="*", default=[], metavar="KEY=VALUE", help="more overrides for every row")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for k, val_max in enumerate(args.val_max_images):
            for i, repo in enumerate(args.repo):
                rows.append(one_run(repo, args.budget, val_max, Path(tmp), f"budget-{k}-{i}", args.set))
                print(rows[-1], file=sys.stderr, flush=True)
    print("| code | budget | val_max_images | load | whole command | iterations | final validation | its images |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['repo']} | {args.budget:g} s | {r['val_max']} | {r['load']:.1f} | {r['wall']:.0f} s (rc {r['rc']}) "
              f"| {r['iterations']} | {r['val_sec']:.0f} s | {r['val_images']} |")
    for r in rows:
        for line in r["said"]:  # type: ignore[union-attr]
            print(f"- {r['repo']}, val_max_images {r['val_max']}: {line}")


if __name__ == "__main__":
    main()
