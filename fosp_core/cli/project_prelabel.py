"""``fosp project prelabel PROJECT [--checkpoint CKPT] [--threshold T] [--tau T] [--keep RULE] ...``:
the model's mask saved for every image of the project that has none yet (status *predicted*).

Images with a mask (predicted, edited, reviewed) are never touched, so running it again goes on where
a run stopped (Ctrl-C, a kill: every mask written before is whole, with its state;
`fosp_core.annotation.prelabel`). Each image pre-labelled also gets its worklist summary, stamped with
the checkpoint's digest and the settings, so the app's Run on all does not run it again at the same
settings. After a retrain, ``--replace-predicted`` also replaces the masks only a model made (status
*predicted*, never edited, reviewed or imported as people's labels:
`fosp_core.annotation.prelabel.model_only`) with this model's, counted apart ("2 new, 3 replaced");
edited and reviewed masks are never touched; a stopped run, run again, goes on. On a
terminal it counts the images done on stderr. Exit codes (`EXIT_CODES`, its ``--help`` epilog, the README's
table): 0 pre-labelled, 1 the project failed (locked, read-only, a mask that could not be saved) or some
images could not be read (named), 2 usage (bad arguments, no project, a checkpoint that cannot be
loaded), 3 nothing to pre-label, said with why (every image has a mask already; with ``--replace-predicted``,
none made by a model only, or every one made by this model at these settings already, counted before the model
is loaded; without it,
``--replace-predicted`` is advised for the masks of another model or other settings only, counted with the
run's stamp, the model not loaded, as the app's Pre-label All counts them): nothing written, as
every ``fosp project`` command with nothing to do and ``fosp predict`` with every output there already,
130 interrupted (Ctrl-C: the masks so far kept).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from fosp_core.cli import ExitCode, add_keep_argument
from fosp_core.cli.project_opening import PROJECT_HELP, open_project

if TYPE_CHECKING:
    from fosp_core.annotation.prelabel import ModelStamp, PrelabelReport

__all__ = ["EXIT_CODES", "add_prelabel"]

#: ``fosp project prelabel --help``'s epilog: its exit codes, as the module doc and the README's table say them
EXIT_CODES = ("exit codes: 0 pre-labelled; 1 the project failed (locked, read-only, a mask that could not be "
              "saved: those written before are kept) or some images could not be read (named; the others "
              "pre-labelled); 2 usage (bad arguments, no project, a checkpoint that cannot be loaded, checked even "
              "with nothing to pre-label); 3 nothing to pre-label (every image has a mask already; with "
              "--replace-predicted, none made by a model only or every one made by this model at these settings "
              "already): said with why, nothing written; 130 interrupted (Ctrl-C: the masks so far kept)")


def add_prelabel(sub: argparse._SubParsersAction) -> None:
    """Add ``prelabel`` to the ``fosp project`` subcommands."""
    pre = sub.add_parser("prelabel", help="save the model's mask for every image without one (status predicted; "
                                          "images with a mask are never touched; a second run goes on)",
                          epilog=EXIT_CODES)
    pre.add_argument("project", metavar="PROJECT", help=PROJECT_HELP)
    pre.add_argument("--checkpoint", type=Path, default=None, metavar="CKPT",
                     help="model checkpoint: a file, a run folder or a run's name (default: the shipped default model)")
    pre.add_argument("--device", default="auto", help="auto (default), cpu, cuda, cuda:N, mps")
    pre.add_argument("--precision", default="fp32", choices=["fp32", "bf16", "fp16"],
                     help="inference precision (default fp32)")
    pre.add_argument("--threshold", type=float, default=0.5, metavar="T", help="mask threshold (default 0.5)")
    pre.add_argument("--tau", type=float, default=None, metavar="T", help="Focus threshold (default: the model's)")
    add_keep_argument(pre)
    pre.add_argument("--input-size", type=int, default=512, metavar="N", help="long side of the network input (default 512)")
    pre.add_argument("--replace-predicted", action="store_true",
                     help="also replace the masks only a model made (status predicted: this app's or a model's "
                          "labels imported as predictions; nobody edited or reviewed them) with this model's, e.g. "
                          "after a retrain; edited, reviewed and people's imported masks are never touched")
    pre.set_defaults(func=_prelabel)


def _load(args: argparse.Namespace):  # noqa: ANN202 - a Predictor, imported here (torch)
    from fosp_core.cli.predict import checkpoint_to_load
    from fosp_core.infer import DeviceError, Predictor

    checkpoint = checkpoint_to_load(args.checkpoint)  # as fosp predict finds it (the default model when none)
    try:
        predictor = Predictor(checkpoint, device=args.device, precision=args.precision, input_size=args.input_size)
    except (DeviceError, ValueError) as exc:  # as fosp predict: the device's words, the checkpoint's (naming it)
        raise SystemExit(_usage(str(exc))) from exc
    except Exception as exc:  # noqa: BLE001 - any load failure is a usage error, said
        raise SystemExit(_usage(f"cannot load checkpoint {checkpoint}: {type(exc).__name__}: {exc}")) from exc
    return checkpoint, predictor


def _checked_checkpoint(given: Path) -> Path | int:
    """The checkpoint file the `given` ``--checkpoint`` means, or the usage exit code when it is no checkpoint
    (none there, unreadable: said on stderr): its header read (`read_metadata`), not the model loaded, when
    nothing is left to do."""
    from fosp_core.checkpoint import CheckpointError, read_metadata
    from fosp_core.cli.predict import checkpoint_to_load

    try:
        checkpoint = checkpoint_to_load(given)
    except SystemExit as exc:  # said on stderr already
        return int(exc.code or ExitCode.USAGE)
    try:
        read_metadata(checkpoint)
    except CheckpointError as exc:
        return _usage(str(exc))
    return checkpoint


def _quiet_default() -> Path | None:
    """The default model's file, or None when there is none (nothing said: only counted with, `_counting_stamp`)."""
    from fosp_core.checkpoint import CheckpointError
    from fosp_core.checkpoint_resolve import NoDefaultModelError, checkpoint_file, default_checkpoint

    try:
        return checkpoint_file(default_checkpoint())[0]
    except (NoDefaultModelError, CheckpointError, OSError):
        return None


def _model_tau(checkpoint: Path) -> float | None:
    """The model's own τ as its loaded model has it (`fosp_core.infer.runner.ModelRunner.default_tau`): its
    config's ``tau``, None for a model without separation; read from the file's header, the model not built."""
    from fosp_core.checkpoint import read_metadata
    from fosp_core.model.config import ModelConfig

    found = json.loads(read_metadata(checkpoint).get("config") or "{}")
    known = {f.name for f in dataclasses.fields(ModelConfig)}
    config = ModelConfig.from_dict({k: v for k, v in found.items() if k in known})
    return float(config.tau) if config.separation else None


def _counting_stamp(args: argparse.Namespace, keep: str, checkpoint: Path | None) -> ModelStamp | None:
    """The stamp a run with these arguments marks its masks with (as `_prelabel` makes it once the model is
    loaded: `checkpoint_stamp` of the checkpoint, its τ, the threshold, rule, precision and input), the model
    not loaded; None without a checkpoint or when it cannot be read (then every model-only mask is counted)."""
    from fosp_core.annotation.prelabel import checkpoint_stamp, network_input, stamp_tau
    from fosp_core.checkpoint import CheckpointError

    if checkpoint is None:
        return None
    try:
        tau = stamp_tau(_model_tau(checkpoint), args.tau)
        return checkpoint_stamp(checkpoint, tau, args.threshold, keep, args.precision,
                                network_input({"input_size": args.input_size}))
    except (CheckpointError, OSError, ValueError, TypeError, AttributeError):
        return None


def _usage(text: str) -> int:
    print(f"error: {text}", file=sys.stderr)
    return int(ExitCode.USAGE)


def _again(args: argparse.Namespace) -> str:
    """How to go on after a stop: run it again (with --replace-predicted again for the masks left to
    replace; those this model replaced already are left alone: `fosp_core.annotation.prelabel.made_by`)."""
    if args.replace_predicted:
        return "run it again with --replace-predicted to go on"
    return "run it again to go on"


def _set_out(todo: int, report: PrelabelReport) -> int:
    """The masks the run set out to write: `PrelabelReport.todo` (`prelabel_todo` with the run's stamp:
    not the masks this model wrote already, which `todo`, counted without it, includes); `todo` when the
    run stopped before it counted them."""
    return report.todo or todo


def _kept(todo: int, report: PrelabelReport, args: argparse.Namespace) -> str:
    """What a pre-label stopped by an error leaves: the masks written before it, and how to go on."""
    return (f"{len(report.imported)} of {_set_out(todo, report)} masks pre-labelled before it are kept; once that is fixed (a full "
            f"disk: free some space), {_again(args)}")


def _done_line(report: PrelabelReport, replacing: bool) -> str:
    """The last line, counted as the app's Pre-label All line ("12 new, 30 replaced" when replacing)."""
    from fosp_core.annotation.prelabel_words import images, new_and_replaced

    masked = report.skipped_masked
    return (f"pre-labelled {images(len(report.imported))} (status predicted)"
            + (f": {new_and_replaced(report.new, len(report.replaced))}" if replacing else "")
            + (f"; {masked} already had a mask and {'was' if masked == 1 else 'were'} left alone" if masked else ""))


def _all_masked(count: int) -> str:
    """"nothing to pre-label: all 4 images have a mask already" ("the 1 image has ...")."""
    return f"nothing to pre-label: {'the 1 image has' if count == 1 else f'all {count} images have'} a mask already"


def _prelabel(args: argparse.Namespace) -> int:
    from fosp_core.annotation.entries import ProjectError
    from fosp_core.annotation.prelabel import (
        PrelabelReport,
        checkpoint_stamp,
        count_prelabel,
        predictor_run,
        prelabel,
        prelabel_counts,
        stamp_tau,
    )
    from fosp_core.annotation.prelabel_words import made_already, nothing_words
    from fosp_core.metrics.decision import parse_rule

    if not 0.0 <= args.threshold <= 1.0:
        return _usage("--threshold must be in [0, 1]")
    if args.tau is not None and not 0.0 <= args.tau <= 1.0:  # as fosp predict, eval and compare check them
        return _usage("--tau must be in [0, 1]")
    if args.input_size < 32 or args.input_size % 32:
        return _usage(f"--input-size must be a positive multiple of 32, got {args.input_size}")
    try:
        keep = str(parse_rule(args.keep))
    except ValueError as exc:
        return _usage(str(exc))
    project = open_project(args.project)
    if isinstance(project, ExitCode):
        return int(project)
    with project:
        if project.read_only:  # held by FoSp Studio or another command: said before the model is loaded
            print(f"error: the project is read-only: {project.read_only_reason}", file=sys.stderr)
            return int(ExitCode.FAILED)
        counts = prelabel_counts(project)
        todo = counts.new + (counts.predicted if args.replace_predicted else 0)
        if not todo:
            given = None if args.checkpoint is None else _checked_checkpoint(args.checkpoint)
            if isinstance(given, int):  # a checkpoint given that is not there or unreadable: usage (exit 2)
                return given
            if args.replace_predicted:  # and none to replace: said, or the flag reads as ignored
                print(_all_masked(len(project.entries)) + "; none was made by a model only (status predicted): "
                      "--replace-predicted leaves edited and reviewed masks alone")
                return int(ExitCode.NOTHING_TO_DO)
            # --replace-predicted advised for the masks it would replace only: not those this model wrote already
            stamp = _counting_stamp(args, keep, given or _quiet_default()) if counts.predicted else None
            counts, made = count_prelabel(project, stamp) if stamp is not None else (counts, 0)
            print(_all_masked(counts.total) + nothing_words(counts, "--replace-predicted")
                  + made_already(made, counts.predicted))
            return int(ExitCode.NOTHING_TO_DO)  # as every `fosp project` command with nothing to do
        if args.replace_predicted and not counts.new:  # counted with the run's stamp before the model is loaded
            given = _quiet_default() if args.checkpoint is None else _checked_checkpoint(args.checkpoint)
            if isinstance(given, int):  # a checkpoint given that is not there or unreadable: usage (exit 2)
                return given
            stamp = _counting_stamp(args, keep, given)
            counted, made = count_prelabel(project, stamp) if stamp is not None else (counts, 0)
            if stamp is not None and not counted.new + counted.predicted:  # all this model's at these settings
                print(_all_masked(counted.total) + made_already(made))
                return int(ExitCode.NOTHING_TO_DO)
        checkpoint, predictor = _load(args)
        tau = stamp_tau(predictor.tau, args.tau)  # None for a model without τ, as the app stamps it
        stamp = checkpoint_stamp(checkpoint, tau, args.threshold, keep, *predictor_run(predictor))
        stop = threading.Event()
        tell = sys.stderr.isatty()

        def progress(done: int, total: int) -> None:
            if tell:
                print(f"\rpre-labelled {done} of {total}", end="", file=sys.stderr, flush=True)

        def probability(rgb):  # noqa: ANN001, ANN202
            return predictor.predict_batch([rgb], tau=tau, need=())[0].probability

        report = PrelabelReport()
        try:
            prelabel(project, probability, stamp, progress=progress, cancelled=stop.is_set,
                     replace_predicted=args.replace_predicted, report=report)
        except KeyboardInterrupt:  # how far it got, as the app's Pre-label All says it
            total = _set_out(todo, report)
            print(f"{chr(10) if tell else ''}interrupted: {len(report.imported)} of {total} images pre-labelled "
                  f"(kept), {total - len(report.imported)} left; {_again(args)}", file=sys.stderr)
            return 130
        except ProjectError as exc:  # a full disk, a project made read-only: what is done is kept
            print(f"{chr(10) if tell else ''}error: {exc}\n{_kept(todo, report, args)}", file=sys.stderr)
            return int(ExitCode.FAILED)
        if tell:
            print(file=sys.stderr)
    if not report.todo and not report.imported and not report.failed:  # every model-only mask this model's
        print(_all_masked(counts.total) + made_already(counts.predicted))
        return int(ExitCode.NOTHING_TO_DO)
    print(_done_line(report, args.replace_predicted))
    for image_id, reason in report.failed:
        print(f"  not pre-labelled: {image_id}: {reason}", file=sys.stderr)
    return int(ExitCode.FAILED if report.failed else ExitCode.OK)
