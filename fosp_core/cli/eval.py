"""`fosp eval`: score predictions against a labelled dataset, print a table like the paper's.

    fosp eval --dataset DIR [--split NAME] (--predictions DIR | --checkpoint CKPT)
              [--protocol smokeseg|sod] [--threshold 0.5] [--json OUT] [--false-alarms] [--skip-bad]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add `fosp eval`; returns its parser."""
    p = subparsers.add_parser(
        "eval", help="evaluate predictions or a checkpoint on a labelled dataset",
        description="Per-image F_beta (beta^2 = 0.3), mIoU, M, precision and recall by total/small/medium/"
                    "large, as in the paper's Table 3 (protocol smokeseg) or its Table 2 (protocol sod). "
                    "Predictions: PNGs named <id>.png, 8-bit probability (0-255) or binary masks.")
    p.add_argument("--dataset", type=Path, required=True, metavar="DIR", help="labelled dataset folder")
    p.add_argument("--split", default=None, metavar="NAME", help="split to evaluate (e.g. test); default all")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--predictions", type=Path, metavar="DIR", help="folder of <id>.png predictions")
    src.add_argument("--checkpoint", type=Path, metavar="CKPT", help="model checkpoint to run")
    p.add_argument("--protocol", choices=["smokeseg", "sod"], default="smokeseg",
                   help="smokeseg: paper Table 3 (default); sod: salient-object protocol of Table 2")
    p.add_argument("--threshold", type=float, default=0.5,
                   help="probability threshold of the smokeseg protocol (default 0.5)")
    p.add_argument("--device", default="auto", help="device for --checkpoint (auto, cpu, cuda, mps)")
    p.add_argument("--json", type=Path, default=None, metavar="OUT", help="write {split: {...}} JSON here")
    p.add_argument("--false-alarms", action="store_true",
                   help="also report far-FP (>= 32 px from smoke) and flagged smoke-free 256x256 crops")
    p.add_argument("--skip-bad", action="store_true",
                   help="skip (and report) missing or mismatched predictions instead of stopping")
    p.set_defaults(func=run)
    return p


def _checkpoint_fn(checkpoint: Path, device: str):
    """probability(rgb) -> prob from the inference engine; RuntimeError with a clear reason."""
    if not checkpoint.is_file():
        raise RuntimeError(f"{checkpoint}: checkpoint file not found")
    try:
        from fosp_core.infer import probability_fn

        return probability_fn(checkpoint, device=device)
    except ImportError as exc:
        raise RuntimeError("--checkpoint needs the inference engine fosp_core.infer, which is not importable "
                           f"here ({exc}); evaluate saved predictions with --predictions") from exc
    except (OSError, ValueError, KeyError) as exc:
        raise RuntimeError(f"{checkpoint}: cannot load the checkpoint: {exc}") from exc


def run(args: argparse.Namespace) -> int:
    """Run `fosp eval`; returns the exit code."""
    from fosp_core.data.datasets import DatasetError, SampleError, open_dataset
    from fosp_core.metrics import format_table
    from fosp_core.metrics.evaluate import PredictionError, PredictionFolder, evaluate

    if not 0.0 <= args.threshold <= 1.0:
        print("error: --threshold must be in [0, 1]", file=sys.stderr)
        return 2
    on_error = "skip" if args.skip_bad else "raise"
    try:
        dataset = open_dataset(args.dataset, args.split, on_error=on_error)
        if not dataset.has_labels:
            raise DatasetError(args.dataset, "has no labels to evaluate against")
        if args.predictions is not None:
            source = PredictionFolder(args.predictions)
            what = f"predictions {args.predictions}"
        else:
            source = _checkpoint_fn(args.checkpoint, args.device)
            what = f"checkpoint {args.checkpoint}"
    except (DatasetError, PredictionError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        result = evaluate(dataset, source, protocol=args.protocol, threshold=args.threshold,
                          false_alarms=args.false_alarms, on_error=on_error)
    except (PredictionError, SampleError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for sample_id, reason in list(dataset.skipped) + result.skipped:
        print(f"skipped {sample_id}: {reason}", file=sys.stderr)
    split = f", split {dataset.split}" if dataset.split else ""
    title = f"{what} on {args.dataset}{split}: {result.tables['total'].n} images"
    print(format_table(result.tables, args.protocol, args.threshold, title=title))
    if args.json:
        result.write_json(args.json)
    return 0
