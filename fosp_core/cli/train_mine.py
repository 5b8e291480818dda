"""`fosp train-mine`: find a model's mistakes in its training images (hard negatives or positives).

    fosp train-mine WEIGHTS OUT.json [--recipe small-cpu] [--data-root DIR] [--source N ...]
                    [--misses] [--max-points 16] [--threads 2]

Runs WEIGHTS (a FoSp .safetensors) over the fixed images of the recipe's **training** sources
(never its validation sources) as validation would, and writes where it flags smoke at least 32 px
from labelled smoke (or, with `--misses`, where it does not flag labelled smoke). A training source
with `hard_negatives = "OUT.json"` (or `hard_positives` for a file of misses) then centres its
crops there (see `fosp_core.train.hard_negatives`), e.g.

    fosp train small-cpu 'data.train=[..., {path="smoke5k-train", split="scene-train",
        weight=0.15, hard_negatives="OUT.json"}]'

Exit codes: 0 done, 2 bad recipe / data / weights or an OUT that cannot be written (checked before
mining), 1 the file could not be written, 130 interrupted (nothing written).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from fosp_core.cli.exit_codes import ExitCode, fail


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `train-mine`."""
    p = subparsers.add_parser(
        "train-mine", help="find a model's false alarms (or missed smoke) in its training images, for training",
        description="Run a checkpoint over the fixed images of a recipe's training sources and write, for "
                    "each image where it flags smoke far (>= 32 px) from labelled smoke, a few of those "
                    "places, for a training source's `hard_negatives` option; with --misses, the places "
                    "where it misses labelled smoke, for `hard_positives`.")
    p.add_argument("weights", type=Path, metavar="WEIGHTS",
                   help="FoSp checkpoint (.safetensors), or a run folder (its exported or best weights)")
    p.add_argument("out", type=Path, metavar="OUT", help="the places' file to write (.json): a source's hard_negatives, or with --misses "
                                                        "its hard_positives")
    p.add_argument("--recipe", default="small-cpu", metavar="CONFIG", help="recipe whose data.train sources are mined (default small-cpu)")
    p.add_argument("--data-root", default=None, metavar="DIR", help="the recipe's data.root (e.g. ../shared/data)")
    p.add_argument("--source", type=int, action="append", default=None, metavar="N",
                   help="mine only data.train.N (repeatable; default every source of fixed images)")
    p.add_argument("--misses", action="store_true",
                   help="record missed smoke (for hard_positives) instead of false alarms (for hard_negatives)")
    p.add_argument("--max-points", type=int, default=16, metavar="N", help="places kept per image (default 16)")
    p.add_argument("--val-size", type=int, default=None, metavar="PX", help="long side the images are run at, 0 = native size (default: the recipe's)")
    p.add_argument("--threads", type=int, default=2, metavar="N", help="torch CPU threads (default 2)")
    p.add_argument("--quiet", action="store_true", help="no progress line")
    p.set_defaults(func=run_mine)


def run_mine(args: argparse.Namespace) -> ExitCode:
    """`fosp train-mine`."""
    import torch

    from fosp_core.checkpoint import CheckpointError, load_checkpoint, resolve_checkpoint
    from fosp_core.cli import output_file_problem
    from fosp_core.train.config import ConfigError, load_config
    from fosp_core.train.data import DataError, open_source
    from fosp_core.train.hard_negatives import FALSE_ALARMS, MISSES, MiningResult, write_file
    from fosp_core.train.mine import mine_source

    if args.max_points < 1:
        return fail("--max-points must be at least 1", ExitCode.USAGE)
    if args.threads < 1:
        return fail("--threads must be at least 1", ExitCode.USAGE)
    if args.val_size is not None and args.val_size < 0:
        return fail("--val-size must be 0 (native size) or more", ExitCode.USAGE)
    overrides = [] if args.data_root is None else [f"data.root={args.data_root}"]
    try:
        cfg = load_config(args.recipe, overrides)
    except ConfigError as exc:
        return fail(str(exc), ExitCode.USAGE)
    specs = list(enumerate(cfg.data.train))
    if args.source:
        bad = [n for n in args.source if not 0 <= n < len(specs)]
        if bad:
            return fail(f"--source {bad[0]}: the recipe has data.train.0 .. data.train.{len(specs) - 1}",
                          ExitCode.USAGE)
        specs = [specs[n] for n in args.source]
    specs = [(n, s) for n, s in specs if s.kind != "synthetic" and not s.hard_negatives and not s.hard_positives]
    if not specs:
        return fail("no training source of fixed images to mine (generated sources have none)", ExitCode.USAGE)
    problem = output_file_problem(args.out, str(args.out), "hard-negatives.json")
    if problem is not None:
        return fail(problem, ExitCode.USAGE)
    try:
        weights, note = resolve_checkpoint(args.weights)  # a run folder: its weights
        if note:
            print(note, file=sys.stderr)
        model = load_checkpoint(weights).float().eval()
    except (CheckpointError, OSError) as exc:
        text = str(exc)  # names the file itself when it is not there: not said twice
        return fail(f"cannot load the weights: {text}" if str(args.weights) in text else
                    f"cannot load the weights {args.weights}: {text}", ExitCode.USAGE)
    torch.set_num_threads(args.threads)
    val_size = cfg.train.val_size if args.val_size is None else args.val_size
    kind = MISSES if args.misses else FALSE_ALARMS
    total = MiningResult(kind=kind, meta={"weights": str(args.weights), "recipe": args.recipe, "val_size": val_size,
                               "threshold": 0.5, "margin": 32, "max_points": args.max_points, "sources": []})
    start = time.monotonic()
    try:
        for n, spec in specs:
            try:
                source = open_source(cfg, spec, f"data.train.{n}")
            except DataError as exc:
                return fail(str(exc), ExitCode.USAGE)

            def progress(done: int, count: int, name: str = source.name) -> None:
                if not args.quiet and (done % 25 == 0 or done == count):
                    rate = (time.monotonic() - start) / max(1, total.scanned + done)
                    print(f"\r{name}: {done}/{count} images ({rate:.2f} s each)", end="", file=sys.stderr, flush=True)

            result = mine_source(model, source, torch.device("cpu"), val_size=val_size,
                                 max_points=args.max_points, kind=kind, progress=progress)
            if not args.quiet:
                print(file=sys.stderr)
            total.meta["sources"].append({"key": f"data.train.{n}", "name": source.name,
                                          "scanned": result.scanned, f"with_{kind.replace('-', '_')}": len(result.images)})
            total.merge(result)
    except KeyboardInterrupt:
        return fail("interrupted; nothing written", ExitCode.INTERRUPTED)
    try:
        path = write_file(args.out, total)
    except OSError as exc:
        return fail(f"cannot write {args.out}: {exc}", ExitCode.FAILED)
    what, rate = ("missed smoke", "smoke missed") if kind == MISSES else ("false alarms", "far-FP")
    print(f"{len(total.images)} of {total.scanned} images have {what} ({rate} {100 * total.rate:.2f} %); "
          f"wrote {path} in {time.monotonic() - start:.0f} s")
    return ExitCode.OK
