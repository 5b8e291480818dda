"""`fosp eval`: score predictions against a labelled dataset, print a table like the paper's.

    fosp eval --dataset DIR [--split NAME] [--predictions DIR | --checkpoint CKPT [--checkpoint CKPT2 ...]]
              [--protocol smokeseg|sod] [--threshold 0.5] [--keep plain] [--input-size 512] [--tiled]
              [--tau T] [--precision fp32] [--json OUT] [--per-image CSV] [--false-alarms] [--skip-bad]

Without --predictions or --checkpoint it runs the bundled default model, as `fosp predict` does
(`fosp_core.cli.default_model`). Several `--checkpoint`s are compared on the same images: a table each, then one line per split
with every checkpoint's F_beta (and mIoU) and the change from the first. `--json OUT` holds
{split: {...}} for one checkpoint (or --predictions), {checkpoint: {split: {...}}} for several;
`--per-image CSV` every image's scores (`fosp_core.cli.eval_per_image`). The table's F_beta, mIoU,
M, precision and recall are means over images (the app's metrics box: its "this image" row is one
line of the CSV, its total row the table's); mIoU(2cls) alone is pooled over the dataset's pixels.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from fosp_core.cli import ExitCode, add_keep_argument, output_file_problem, write_json_file

__all__ = ["checkpoint_files", "checkpoint_fn", "register"]


def kept_words(keep: str) -> str:
    """"regions kept: core:0.7 (with a core above 0.7)": the region rule's code, as ``--keep`` takes it and a
    comparison CSV's "regions" column holds it, then its plain words (`fosp_core.analysis.settings.keep_words`,
    the app's wording), for the text a person reads (`fosp eval`'s table title, `fosp compare`'s report)."""
    from fosp_core.analysis.settings import keep_words

    words = keep_words(keep).removeprefix("regions ")
    return f"regions kept: {keep}" + (f" ({words})" if words else "")


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add `fosp eval`; returns its parser."""
    p = subparsers.add_parser(
        "eval", help="evaluate predictions or a checkpoint on a labelled dataset",
        description="Per-image F_beta (beta^2 = 0.3), mIoU, M, precision and recall by total/small/medium/"
                    "large, as in the paper's Table 3 (protocol smokeseg) or its Table 2 (protocol sod). "
                    "Predictions: PNGs named <id>.png, 8-bit probability (0-255) or binary masks.")
    p.add_argument("--dataset", type=Path, required=True, metavar="DIR", help="labelled dataset folder")
    p.add_argument("--split", default=None, metavar="NAME", help="split to evaluate (e.g. test); default all")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--predictions", type=Path, metavar="DIR", help="folder of <id>.png predictions")
    src.add_argument("--checkpoint", type=Path, metavar="CKPT", action="append",
                     help="model checkpoint (or a run folder, or a run's name in the runs folder: its exported "
                          "<run>.safetensors or model.safetensors, else best.safetensors) to run; give it again to compare checkpoints on the same images; "
                          "default (neither this nor --predictions): the bundled default model, as `fosp predict`")
    p.add_argument("--protocol", choices=["smokeseg", "sod"], default="smokeseg",
                   help="smokeseg: paper Table 3 (default); sod: salient-object protocol of Table 2")
    p.add_argument("--threshold", type=float, default=0.5,
                   help="probability threshold of the smokeseg protocol (default 0.5)")
    add_keep_argument(p)
    p.add_argument("--device", default="auto", help="device for --checkpoint (auto, cpu, cuda, mps)")
    p.add_argument("--input-size", type=int, default=None, metavar="N",
                   help="with --checkpoint: long side of the network input, as the app's Input and "
                        "`fosp predict --input-size` (multiple of 32; default 512)")
    p.add_argument("--tiled", action="store_true",
                   help="with --checkpoint: overlapping tiles of --input-size px at native resolution (large "
                        "frames), as the app's Input '512 px tiles, full resolution' and `fosp predict --tiled`")
    p.add_argument("--tau", type=float, default=None, metavar="T",
                   help="with --checkpoint: Focus threshold of the hole (default: the model's, 0.15), as the "
                        "app's Focus τ and `fosp predict --tau`")
    p.add_argument("--precision", choices=["fp32", "bf16", "fp16"], default=None,
                   help="with --checkpoint: inference precision, as the app's and `fosp predict --precision` "
                        "(default fp32)")
    p.add_argument("--per-image", type=Path, default=None, metavar="CSV",
                   help="also write every image's scores (fractions; one row per checkpoint and image) as CSV")
    p.add_argument("--json", type=Path, default=None, metavar="OUT",
                   help="write the scores as JSON here: {split: {...}} for one checkpoint or --predictions; "
                        "{checkpoint: {split: {...}}} for two or more (keyed by the path as given, or "
                        "'[i] path' when a path is given twice)")
    p.add_argument("--false-alarms", action="store_true",
                   help="also report far-FP (>= 32 px from smoke) and flagged smoke-free 256x256 crops")
    p.add_argument("--skip-bad", action="store_true",
                   help="skip (and report) missing or mismatched predictions instead of stopping")
    p.set_defaults(func=run)
    return p


def checkpoint_files(given: Sequence[Path]) -> list[Path]:
    """The checkpoint file each of `given` means (a file, a run folder, a run's name: `checkpoint_file`),
    which file of a run said on stderr, all before any model loads; RuntimeError at the first that is
    none, so no model is loaded for nothing (`fosp compare A B`, `fosp eval --checkpoint …`)."""
    from fosp_core.checkpoint import CheckpointError
    from fosp_core.cli.default_model import checkpoint_file

    found: list[tuple[Path, str]] = []
    for checkpoint in given:
        try:
            found.append(checkpoint_file(checkpoint))
        except CheckpointError as exc:
            raise RuntimeError(str(exc)) from exc
    for _file, note in found:
        if note:
            print(note, file=sys.stderr)
    return [file for file, _note in found]


def checkpoint_fn(checkpoint: Path, device: str, input_size: int = 512, tau: float | None = None,
                  precision: str = "fp32", tiled: bool = False):
    """(probability(rgb) -> prob from the inference engine, the checkpoint file it loaded), the network
    run on the whole image at `input_size` or, `tiled`, on tiles of that size (the app's Input "tiled":
    :func:`~fosp_core.analysis.settings.predictor_input`); RuntimeError with a clear reason."""
    from fosp_core.analysis.settings import predictor_input
    from fosp_core.checkpoint import CheckpointError
    from fosp_core.cli.default_model import checkpoint_file

    try:  # a file, a run folder, or a run's name (as `fosp train-export NAME OUT` takes it)
        checkpoint, note = checkpoint_file(checkpoint)
    except CheckpointError as exc:
        raise RuntimeError(str(exc)) from exc
    if note:
        print(note, file=sys.stderr)
    try:
        from fosp_core.infer import DeviceError, probability_fn

        shape = predictor_input("tiled", input_size) if tiled else {"input_size": input_size}
        return probability_fn(checkpoint, device=device, tau=tau, precision=precision, **shape), checkpoint
    except ImportError as exc:  # first: DeviceError is unbound when the import failed
        raise RuntimeError("--checkpoint needs the inference engine fosp_core.infer, which is not importable "
                           f"here ({exc}); evaluate saved predictions with --predictions") from exc
    except DeviceError as exc:
        raise RuntimeError(f"--device {device}: {exc}") from exc
    except (OSError, ValueError, KeyError) as exc:
        text = str(exc)  # a CheckpointError names the file first already
        raise RuntimeError(text if text.startswith(f"{checkpoint}: ") else
                           f"{checkpoint}: cannot load the checkpoint: {text}") from exc


def run(args: argparse.Namespace) -> int:
    """Run `fosp eval`; returns the exit code."""
    from fosp_core.cli.dataset import refused_code, skip_hint
    from fosp_core.data.datasets import DatasetError, SampleError, open_dataset
    from fosp_core.metrics import format_table
    from fosp_core.metrics.evaluate import PredictionError, PredictionFolder, evaluate
    from fosp_core.metrics.report import setting_text

    if not 0.0 <= args.threshold <= 1.0:
        print("error: --threshold must be in [0, 1]", file=sys.stderr)
        return ExitCode.USAGE
    from fosp_core.metrics.decision import parse_rule

    try:
        keep = str(parse_rule(args.keep))
    except ValueError as exc:
        print(f"error: --keep: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    if keep != "plain" and args.protocol != "smokeseg":
        print("error: --keep applies to the smokeseg protocol's threshold mask, not to sod", file=sys.stderr)
        return ExitCode.USAGE
    if args.input_size is not None and (args.input_size < 32 or args.input_size % 32):
        print(f"error: --input-size must be a positive multiple of 32, got {args.input_size}", file=sys.stderr)
        return ExitCode.USAGE
    if args.tau is not None and not 0.0 <= args.tau <= 1.0:
        print("error: --tau must be in [0, 1]", file=sys.stderr)
        return ExitCode.USAGE
    if (given := _run_options(args)) and args.predictions is not None:  # they scored nothing: the table was the same
        print(f"error: {', '.join(given)}: how a checkpoint runs (with --checkpoint); the predictions in "
              f"{args.predictions} are scored as they were made", file=sys.stderr)
        return ExitCode.USAGE
    args.input_size = 512 if args.input_size is None else args.input_size
    args.precision = args.precision or "fp32"
    if args.json is not None and args.per_image is not None and (
            Path(args.json).expanduser().absolute() == Path(args.per_image).expanduser().absolute()):
        print(f"error: --json and --per-image name the same file ({args.json}): the second would be written over "
              "the first; name two files", file=sys.stderr)
        return ExitCode.USAGE
    for flag, path, example in (("--json", args.json, "results.json"), ("--per-image", args.per_image, "images.csv")):
        problem = None if path is None else output_file_problem(path, f"{flag} {path}", example)
        if problem is not None:
            print(f"error: {problem}", file=sys.stderr)
            return ExitCode.USAGE
    if args.predictions is None and not args.checkpoint:
        from fosp_core.cli.default_model import NoDefaultModelError, default_checkpoint

        try:
            args.checkpoint = [default_checkpoint()]
        except NoDefaultModelError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return ExitCode.USAGE
    on_error = "skip" if args.skip_bad else "raise"
    try:
        dataset = open_dataset(args.dataset, args.split, on_error=on_error)
        if not dataset.has_labels:
            raise DatasetError(args.dataset, "has no labels to evaluate against")
        if not dataset.ids:  # before a checkpoint is loaded: there is no score to give
            split = f" (split {dataset.split})" if dataset.split else ""
            print(f"nothing to evaluate: {args.dataset}{split} has no image", file=sys.stderr)
            return ExitCode.NOTHING_TO_DO
        if args.predictions is not None:
            folder = PredictionFolder(args.predictions)
            problem = _predictions_problem(folder, dataset.ids)
            if problem is not None:
                print(f"error: {problem}", file=sys.stderr)
                return ExitCode.USAGE
            sources = [(f"predictions {args.predictions}", folder)]
            files: list[Path | None] = [None]
        else:
            loaded = [checkpoint_fn(c, args.device, args.input_size, args.tau, args.precision, args.tiled)
                      for c in checkpoint_files(args.checkpoint)]  # every one found before a model loads
            sources = [(f"checkpoint {c}", fn) for c, (fn, _) in zip(args.checkpoint, loaded, strict=True)]
            files = [file for _, file in loaded]
    except (DatasetError, PredictionError, RuntimeError) as exc:
        print(f"error: {exc}{skip_hint(exc)}", file=sys.stderr)  # an item refused: fix it or --skip-bad
        return refused_code(exc) if isinstance(exc, DatasetError) else ExitCode.USAGE  # an item: 1, as stats
    from fosp_core.cli.eval_trained import held_out_line, image_verdicts

    results, verdicts = [], []
    for (what, source), file in zip(sources, files, strict=True):
        try:
            result = evaluate(dataset, source, protocol=args.protocol, threshold=args.threshold,
                              false_alarms=args.false_alarms, on_error=on_error, keep=keep)
        except (PredictionError, SampleError) as exc:
            print(f"error: {exc}{skip_hint(exc)}", file=sys.stderr)
            return ExitCode.FAILED
        for sample_id, reason in result.skipped:
            print(f"skipped {sample_id}: {reason}", file=sys.stderr)
        split = f", split {dataset.split}" if dataset.split else ""
        rule = "" if keep == "plain" else f", {kept_words(keep)}"
        tau = "" if args.tau is None or args.predictions is not None else f", τ {setting_text(args.tau)}"
        if args.tiled and args.predictions is None:
            tau += f", {args.input_size} px tiles"
        n = result.tables["total"].n
        title = f"{what} on {args.dataset}{split}{rule}{tau}: {n} image{'' if n == 1 else 's'}"
        print(format_table(result.tables, args.protocol, args.threshold, title=title))
        said, known = image_verdicts(file, dataset)
        if (line := held_out_line(what, result, said, known)) is not None:
            print(line)
        results.append(result)
        verdicts.append(said)
    for sample_id, reason in dataset.skipped:
        print(f"skipped {sample_id}: {reason}", file=sys.stderr)
    if len(results) > 1:
        print()
        print(comparison_table([str(c) for c in args.checkpoint], results))
    if args.per_image is not None:
        from fosp_core.cli.eval_per_image import per_image_csv
        from fosp_core.io.atomic import write_atomic

        try:
            table = per_image_csv([(what, r) for (what, _), r in zip(sources, results, strict=True)], verdicts)
            write_atomic(args.per_image, table.encode("utf-8"))
        except OSError as exc:
            print(f"error: --per-image {args.per_image}: cannot write it: {exc.strerror or exc}", file=sys.stderr)
            return ExitCode.FAILED
    if args.json:
        if len(results) == 1:
            data = results[0].to_json()
        else:
            data = dict(zip(_json_keys([str(c) for c in args.checkpoint]), (r.to_json() for r in results),
                            strict=True))
        error = write_json_file(args.json, data)
        if error is not None:
            print(f"error: {error}", file=sys.stderr)
            return ExitCode.FAILED
    return ExitCode.OK


def _run_options(args: argparse.Namespace) -> list[str]:
    """The options given that say how a checkpoint runs (refused beside --predictions, which they do not change)."""
    values = (("--input-size", args.input_size), ("--tau", args.tau), ("--precision", args.precision))
    return [flag for flag, value in values if value is not None] + (["--tiled"] if args.tiled else [])


def _predictions_problem(folder, ids: list[str]) -> str | None:  # noqa: ANN001 - PredictionFolder
    """None when `folder` holds a prediction of at least one of `ids`, else the error, naming a
    subfolder that does hold them (`fosp predict --out DIR` writes DIR/masks and DIR/prob)."""
    if not ids or any(folder.path(i).is_file() for i in ids):
        return None
    subfolders = sorted(p for p in folder.folder.iterdir() if p.is_dir()) if folder.folder.is_dir() else []
    holding = [sub for sub in subfolders if any((sub / folder.path(i).name).is_file() for i in ids)]
    hint = (f"; its subfolder {holding[0]} holds them: pass --predictions {holding[0]}" if holding
            else "; name the folder of <id>.png files, e.g. the masks/ folder `fosp predict --out DIR` writes")
    return f"{folder.folder}: no prediction for any of the {len(ids)} images ({ids[0]}{folder.suffix}, ...){hint}"


def _json_keys(names: list[str]) -> list[str]:
    """Keys of the comparison JSON: each checkpoint's path, or "[i] path" (as the table's legend)
    when a path is given more than once, so no result overwrites another."""
    if len(set(names)) == len(names):
        return names
    return [f"[{i + 1}] {name}" for i, name in enumerate(names)]


def comparison_table(names: list[str], results: list) -> str:
    """One line per split: each checkpoint's F_beta and mIoU (percent), and the change from the first."""
    head = ["split", "n"] + [f"F_beta [{i + 1}]" for i in range(len(names))] + \
        [f"mIoU [{i + 1}]" for i in range(len(names))] + [f"dF_beta [{i + 1}]-[1]" for i in range(1, len(names))]
    rows = []
    for split in results[0].tables:
        cells = [r.tables[split].to_json() if split in r.tables else {} for r in results]
        n = cells[0].get("n", 0)
        if not n:
            continue
        fb = [c.get("f_beta") for c in cells]
        mi = [c.get("miou") for c in cells]
        pct = [("-" if v is None else f"{100 * v:.2f}") for v in fb + mi]
        diff = [("-" if v is None or fb[0] is None else f"{100 * (v - fb[0]):+.2f}") for v in fb[1:]]
        rows.append([split, str(n)] + pct + diff)
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(head)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(head, widths, strict=True)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    legend = "\n".join(f"[{i + 1}] {name}" for i, name in enumerate(names))
    return f"comparison on the same images:\n{legend}\n" + "\n".join(lines)
