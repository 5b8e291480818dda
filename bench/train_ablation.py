"""Short training runs at one fixed budget, compared on the scene-held-out split (issue 11).

    python bench/train_ablation.py --data ../shared/data [--only A,D] [--list] [--table-only]
    python bench/train_ablation.py --continuation --seeds 0,1 [--only c0,cE]

Two rounds live here. The first (default) trains from random weights. `--continuation` runs the
second kind: short continuations of one pinned default model (the stage-4 weights of commit
`CONTINUE_FROM`, read from git history, so the start never moves when a newer default ships),
each row changing one thing against the plain continuation `c0`, every row with the seeds given.

Every row trains `fosp-s` (or the SegFormer-B0 baseline) from random weights with the `small-cpu`
recipe, changing one thing, for the same budget (iterations x batch x crop), then validates once at
the end on the held-out scenes (`scene-val`, 164 real SMOKE5K photos) and the SmokeSeg val images.
Nothing is selected on the validation images: each run is validated exactly once, at its last step.

Runs live in the runs folder (`ablation-<row>`); a finished run is not trained again. Results are
kept in `docs/training-ablation.json` (committed, so rows measured in earlier sessions survive a
fresh machine) and the Markdown table is rewritten to `docs/training-ablation.md`.

The rows and budgets are in `bench/ablation_rows.py`, the results files and tables in
`bench/ablation_results.py`; this script trains and validates.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.ablation_results import (  # noqa: E402
    SEG,
    VAL,
    continuation_table,
    load_results,
    save_results,
    table,
    write_table,
)
from bench.ablation_rows import (  # noqa: E402
    CONTINUE_BUDGET,
    CONTINUE_EMA,
    CONTINUE_FROM,
    CONTINUE_LR,
    TABLE4_BUDGET,
    Budget,
    Row,
    continuation_rows,
    rows,
    table4_rows,
)
from fosp_core.paths import runs_dir  # noqa: E402


def continuation_start() -> Path:
    """The pinned start weights, extracted once from git history into the runs folder."""
    path = runs_dir() / f"ablation-start-{CONTINUE_FROM}.safetensors"
    if not path.is_file():
        blob = subprocess.run(["git", "-C", str(ROOT), "show",
                               f"{CONTINUE_FROM}:resources/models/fosp-default.safetensors"],
                              check=True, capture_output=True).stdout
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(blob)
        os.replace(tmp, path)
    return path


def final_val(run: Path, iterations: int) -> dict | None:
    """The validation record written at the last iteration, or None when the run has not finished."""
    log = run / "log.jsonl"
    if not log.is_file():
        return None
    found = None
    for line in log.read_text().splitlines():
        rec = json.loads(line)
        if rec.get("type") == "val" and rec.get("iter") == iterations:
            found = rec
    return found


def train_stats(run: Path) -> tuple[float, float]:
    """Mean training loss over the last 50 iterations and the median s/it."""
    losses, times = [], []
    for line in (run / "log.jsonl").read_text().splitlines():
        rec = json.loads(line)
        if rec.get("type") == "train":
            losses.append((rec["iter"], rec["loss"]))
            times.append((rec["iter"], rec["time"]))
    end = losses[-1][0]
    tail = [loss for it, loss in losses if it > end - 50]
    rates = sorted((t1 - t0) / (i1 - i0) for (i0, t0), (i1, t1) in zip(times, times[1:], strict=False) if i1 > i0)
    return sum(tail) / len(tail), rates[len(rates) // 2] if rates else float("nan")


def _validate(cfg, weights: Path | None = None) -> dict[str, float]:
    """Validate the model of `cfg` (with `weights` loaded, when given) as training does."""
    import torch

    from fosp_core.train import model_io
    from fosp_core.train.data import open_sources
    from fosp_core.train.evaluate import validate

    torch.set_num_threads(max(1, cfg.train.threads))
    model = model_io.build(cfg, log=lambda *_: None)
    if weights is not None:
        model_io.load_fosp_weights(model, weights)
    metrics, _ = validate(model, open_sources(cfg, "val"), cfg, torch.device("cpu"))
    return metrics


def revalidate(run: Path) -> dict[str, float]:
    """Validate a finished run's weights again (for scores added to validation after it ran)."""
    from fosp_core.train.config import load_config

    return _validate(load_config(run / "config.toml"), run / "best.safetensors")


def run_row(row: Row, budget: Budget, data: Path, inpainter: str, recipe: str, seed: int = 0,
            start: Path | None = None, seeded: bool = False) -> dict:
    """Train one row (or take its finished run) and return its record. `start`: continue those
    weights (second round); `seeded`: one run per seed from scratch with a weight average (third)."""
    seeded = seeded or start is not None
    name = f"ablation-{row.key}" + (f"-s{seed}" if seeded else "")
    run = runs_dir() / name
    iterations = row.iterations or budget.iterations
    rec = final_val(run, iterations)
    if rec is None:
        cmd = ["fosp", "train", recipe, f"data.root={data}", f"name={name}",
               f"train.iterations={iterations}", f"train.val_every={iterations}",
               f"train.save_every={iterations // 4}", f"train.batch_size={budget.batch}",
               f"data.crop={budget.crop}", f"optim.warmup_iters={budget.warmup}", f"train.seed={seed}",
               "train.log_every=10"]
        if row.inpainter and inpainter:
            cmd.append(f"model.inpainter={inpainter}")
        if start is not None:
            cmd += [f"model.init_from={start}", CONTINUE_LR]
        if seeded:
            cmd.append(CONTINUE_EMA)
        cmd += list(row.overrides)
        if (run / "last.pt").is_file():
            cmd.append("--resume")
        print("$", " ".join(cmd), flush=True)
        t0 = time.time()
        subprocess.run(cmd, check=True, env={**os.environ, "OMP_WAIT_POLICY": "PASSIVE"})
        print(f"row {row.key}: {(time.time() - t0) / 60:.1f} min", flush=True)
        rec = final_val(run, iterations)
        if rec is None:
            raise RuntimeError(f"run {run} finished without a validation at iteration {iterations}")
    loss, sec_it = train_stats(run)
    keep = {k: v for k, v in rec.items() if k.startswith((VAL, SEG))}
    if f"{VAL}/total/f_beta_max" not in keep:
        print(f"row {row.key}: validating {run} again for the threshold-free F_beta", flush=True)
        keep.update({k: v for k, v in revalidate(run).items() if k.endswith("f_beta_max")})
    described = budget.describe() if not row.iterations else budget.describe().replace(
        f"{budget.iterations} iterations", f"{iterations} iterations")
    if start is not None:
        described += f", continued from the default of commit {CONTINUE_FROM}, {CONTINUE_LR}"
    if seeded:  # the raw weights are the row's scores; the average's go under ema/
        described += f", seed {seed}"
        keep = {**{k[4:]: v for k, v in rec.items() if k.startswith(("raw/" + VAL, "raw/" + SEG))},
                **{"ema/" + k: v for k, v in keep.items()}}
    return {"change": row.change, "overrides": list(row.overrides), "budget": described, "seed": seed,
            "train_loss": loss, "sec_per_it": sec_it, "metrics": keep,
            "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
            "date": time.strftime("%Y-%m-%d")}


def validate_start(start: Path, data: Path, inpainter: str, recipe: str) -> dict:
    """Scores of the pinned start weights themselves, with the same validation as every row."""
    from fosp_core.train.config import load_config

    overrides = [f"data.root={data}", f"model.init_from={start}"]
    if inpainter:
        overrides.append(f"model.inpainter={inpainter}")
    metrics = _validate(load_config(recipe, overrides))
    keep = {k: v for k, v in metrics.items() if k.startswith((VAL, SEG))}
    return {"change": f"the stage-4 default of commit {CONTINUE_FROM}, before any continuation",
            "metrics": keep, "date": time.strftime("%Y-%m-%d")}


def missing_inputs(row: Row) -> bool:
    """Whether a file the row needs (SSL weights) is missing; says so, the row is then skipped."""
    missing = [p for p in row.needs if not Path(p).is_file()]
    if missing:
        print(f"row {row.key} skipped: {', '.join(missing)} not found", file=sys.stderr)
    return bool(missing)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--only", default="", help="comma-separated rows to run (default: all)")
    parser.add_argument("--continuation", action="store_true",
                        help=f"the second round: continuations of the default of commit {CONTINUE_FROM}")
    parser.add_argument("--table4", action="store_true",
                        help="the third round: FoSp against SegFormer-B0 from scratch at "
                             f"{TABLE4_BUDGET.iterations} iterations, with seeds")
    parser.add_argument("--seeds", default="0", help="comma-separated seeds (continuation and table4 rows)")
    parser.add_argument("--recipe", default="small-cpu")
    parser.add_argument("--inpainter", default=None,
                        help="pre-trained inpainter weights (fosp train-inpainter); default: the "
                             "inpainter-small run for rows from scratch, and for --continuation the frozen "
                             "inpainter the start checkpoint already carries")
    parser.add_argument("--ssl-backbone", default=str(runs_dir() / "ssl-mit_b0" / "backbone.safetensors"))
    parser.add_argument("--list", action="store_true", help="print the rows and exit")
    parser.add_argument("--table-only", action="store_true", help="rewrite the table from the JSON, train nothing")
    args = parser.parse_args()
    if args.inpainter is None:
        args.inpainter = "" if args.continuation else str(runs_dir() / "inpainter-small" / "best.safetensors")

    budget = Budget()
    first_rows, cont_rows, t4_rows = rows(args.ssl_backbone), continuation_rows(), table4_rows()
    order, cont_order, t4_order = [r.key for r in first_rows], [r.key for r in cont_rows], [r.key for r in t4_rows]
    all_rows = cont_rows if args.continuation else t4_rows if args.table4 else first_rows
    if args.list:
        for r in all_rows:
            print(f"{r.key}: {r.change}  {' '.join(r.overrides)}")
        return 0
    results, cont, third = load_results(), load_results(continuation=True), load_results("table4")
    if not args.table_only:
        if not args.data.is_dir():
            print(f"data folder {args.data} not found (pass --data)", file=sys.stderr)
            return 2
        if args.inpainter and not Path(args.inpainter).is_file():
            print(f"inpainter weights {args.inpainter} not found: run `fosp train-inpainter inpainter-small` "
                  "first or pass --inpainter", file=sys.stderr)
            return 2
        by_key = {r.key: r for r in all_rows}
        wanted = [k.strip() for k in args.only.split(",") if k.strip()] or list(by_key)
        if not args.continuation and not args.table4:
            wanted = [k.upper() for k in wanted]
        unknown = [k for k in wanted if k not in by_key]
        if unknown:
            print(f"unknown rows {unknown}; rows are {', '.join(by_key)}", file=sys.stderr)
            return 2
        seeds = [int(x) for x in args.seeds.split(",") if x.strip()]
        data = args.data.resolve()
        if args.continuation:
            start = continuation_start()
            if "start" not in cont:
                print(f"validating the start weights {start}", flush=True)
                cont["start"] = validate_start(start, data, args.inpainter, args.recipe)
                save_results(cont, continuation=True)
            for seed in seeds:  # every row once before any row's second seed
                for row in (by_key[k] for k in wanted):
                    cont[f"{row.key}:s{seed}"] = run_row(row, CONTINUE_BUDGET, data, args.inpainter,
                                                         args.recipe, seed=seed, start=start)
                    save_results(cont, continuation=True)
                    print(continuation_table(cont, cont_order), flush=True)
        elif args.table4:
            for seed in seeds:
                for row in (by_key[k] for k in wanted):
                    if missing_inputs(row):
                        continue
                    third[f"{row.key}:s{seed}"] = run_row(row, TABLE4_BUDGET, data, args.inpainter, args.recipe,
                                                          seed=seed, seeded=True)
                    save_results(third, "table4")
                    print(continuation_table(third, t4_order), flush=True)
        else:
            for row in (by_key[k] for k in wanted):  # in the order given
                if missing_inputs(row):
                    continue
                results[row.key] = run_row(row, budget, data, args.inpainter, args.recipe)
                save_results(results)
                print(table(results, order), flush=True)
    print(write_table(results, order, budget, cont, cont_order, third, t4_order))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
