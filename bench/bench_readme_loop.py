"""The README's command-line labelling loop ("Fine-tuning on your labels ▸ From the command line"), timed step by
step as a user runs it: each line a `fosp` process of its own, on a copy of the bundled demo, the labels of 3 of
its 4 images as the corrected masks (or FOLDER, a folder of photos, and CORRECTED, their corrected masks), in a
temporary folder with HOME, XDG_CACHE_HOME and FOSP_CONFIG there.

    python bench/bench_readme_loop.py [--folder PHOTOS --corrected MASKS] [--iterations 30] [--budget S]
                                      [--keep DIR]

The fine-tune is the README's line with `train.iterations` set to `--iterations` (the README's 300 take minutes
per ten on 2 cores; its pace is printed so the reader scales it), or, with `--budget S`, the README's
`train.time_budget_s=S` (and `optim.warmup_iters=2`) instead. Prints a markdown table: each step, its wall time,
and the line it printed that says what it did; then the machine's load and CPU count.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MODEL = ROOT / "resources" / "models" / "fosp-default.safetensors"


def recipe(iterations: int, budget: float | None) -> list[str]:
    """The README's `fosp train small-cpu ...` line (DIR = the working folder), cut as asked."""
    line = ["fosp", "train", "small-cpu", "data.root=DIR", 'data.train=[{path="my-export", split="train"}]',
            'data.val=[{path="my-export", split="val"}]', "train.best_metric=fbeta",
            f"model.init_from={DEFAULT_MODEL}", "train.iterations=300", "train.batch_size=4", "data.crop=256",
            "optim.lr=1e-4", "optim.warmup_iters=20", "train.val_at_start=true", "name=my-finetune",
            "--export-default", "my-model.safetensors"]
    if budget is not None:
        return [*line, f"train.time_budget_s={budget:g}", "optim.warmup_iters=2"]
    return [*line, f"train.iterations={iterations}", f"optim.warmup_iters={min(20, max(0, iterations // 5))}"]


def steps(iterations: int, budget: float | None) -> list[tuple[str, list[str]]]:
    return [
        ("project init", ["fosp", "project", "init", "photos"]),
        ("project prelabel (default model)", ["fosp", "project", "prelabel", "photos"]),
        ("project import (corrected masks)", ["fosp", "project", "import", "photos", "corrected"]),
        ("project export", ["fosp", "project", "export", "photos", "DIR/my-export"]),
        (f"train ({f'time budget {budget:g} s' if budget is not None else f'{iterations} iterations'})",
         recipe(iterations, budget)),
        ("project prelabel --checkpoint my-finetune --replace-predicted",
         ["fosp", "project", "prelabel", "photos", "--checkpoint", "my-finetune", "--replace-predicted"]),
        ("predict (new weights)", ["fosp", "predict", "photos", "--out", "my-pred-finetuned", "--checkpoint",
                                   "my-model.safetensors"]),
    ]


def said(output: str) -> str:
    """The line of `output` that says what the step did (the training's `done:` / `time budget` lines)."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for pattern in (r"^done: ", r"^(made|pre-labelled|imported|exported|predicted|wrote|nothing to) ", r"\d+ failure"):
        found = [line for line in lines if re.search(pattern, line)]
        if found:
            return found[0]
    return lines[-1] if lines else ""


def pace(output: str) -> str:
    """The training's measured seconds per iteration (its last progress line), or ""."""
    found = re.findall(r"([\d.]+) s/it", output)
    return f"{found[-1]} s/it" if found else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folder", type=Path, help="a folder of photos (default: a copy of resources/demo)")
    parser.add_argument("--corrected", type=Path, help="their corrected masks (default: the demo's labels)")
    parser.add_argument("--iterations", type=int, default=30, help="the fine-tune's iterations (default 30)")
    parser.add_argument("--budget", type=float, help="instead: the README's train.time_budget_s, seconds")
    parser.add_argument("--keep", type=Path, help="work in this (new) folder and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="fosp-loop-"))
    work.mkdir(parents=True, exist_ok=True)
    folder = args.folder or ROOT / "resources" / "demo"
    shutil.copytree(folder, work / "photos", ignore=shutil.ignore_patterns(".fosp"))
    if args.corrected is not None:
        shutil.copytree(args.corrected, work / "corrected")
    else:  # the demo's labels as the corrections of all but its last image, which the new weights pre-label
        (work / "corrected").mkdir()
        for png in sorted((folder / "SegmentationClass").glob("*.png"))[:-1]:
            shutil.copyfile(png, work / "corrected" / png.name)
    env = dict(os.environ, HOME=str(work / "home"), XDG_CACHE_HOME=str(work / "cache"),
               FOSP_CONFIG=str(work / "config"))
    env.pop("FOSP_CACHE", None)
    rows, total, failed = [], 0.0, False
    for name, command in steps(args.iterations, args.budget):
        line = [arg.replace("data.root=DIR", f"data.root={work}").replace("DIR/", f"{work}/") for arg in command]
        start = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "fosp_core", *line[1:]], cwd=work, env=env, capture_output=True,
                             text=True)
        wall = time.perf_counter() - start
        total += wall
        output = run.stdout + run.stderr
        note = said(output) + (f" ({pace(output)})" if name.startswith("train") and pace(output) else "")
        rows.append((name, wall, run.returncode, note.replace("|", "/")[:160]))
        if run.returncode != 0:
            failed = True
            print(output[-3000:], file=sys.stderr)
            break
    print("| step | wall (s) | exit | what it said |")
    print("|---|---:|---:|---|")
    for name, wall, code, note in rows:
        print(f"| {name} | {wall:.1f} | {code} | {note} |")
    print(f"| **the loop** | **{total:.1f}** | | |")
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    print(f"\n{os.cpu_count()} CPUs, load {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1 / 5 / 15 min); "
          f"images: {folder}; work folder {work}" + ("" if args.keep else " (removed)"))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
