"""``fosp project export PROJECT DST``: the project's masks written as a SmokeSeg dataset
(`fosp_core.annotation.export.export_smokeseg`); its arguments and its run, split from ``fosp_core.cli.project``
(whose doc lists the exit codes)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from fosp_core.cli import ExitCode, in_cli_words
from fosp_core.cli.project_opening import PROJECT_HELP
from fosp_core.cli.project_opening import open_project as _open
from fosp_core.cli.project_opening import warn_pending as _warn_pending

if TYPE_CHECKING:  # imported where used: the annotation package loads numpy and OpenCV, not needed by --help
    from fosp_core.annotation.project import Project

__all__ = ["add_export"]


def add_export(sub: argparse._SubParsersAction) -> None:
    """Register ``fosp project export`` on the ``fosp project`` subparsers `sub`."""
    exp = sub.add_parser("export", help="write the masks as a SmokeSeg dataset")
    exp.add_argument("project", metavar="PROJECT", help=PROJECT_HELP)
    exp.add_argument("dst", metavar="DST", help="destination folder (created; must be empty unless --overwrite)")
    exp.add_argument("--reviewed-only", action="store_true", help="only images marked reviewed")
    group = exp.add_mutually_exclusive_group()
    group.add_argument("--split", metavar="TRAIN,VAL[,TEST]", help="random split with these ratios, e.g. 0.8,0.1,0.1")
    group.add_argument("--keep-splits", action="store_true", help="keep the source dataset's splits (default when they "
                       "put an image in train; a folder of photos, or a source listing none in train, gets "
                       "--split 0.8,0.1,0.1)")
    group.add_argument("--all-train", action="store_true", help="put every image in train")
    exp.add_argument("--seed", type=int, default=0, help="seed of the random split (default 0)")
    size = exp.add_mutually_exclusive_group()
    size.add_argument("--resize-512", action="store_true",
                      help="resize images and masks to 512x512 like SmokeSeg (aspect ratio not kept; "
                           "default: each image keeps its size)")
    size.add_argument("--resize", type=int, metavar="N", help="resize images and masks to NxN (aspect ratio not kept)")
    exp.add_argument("--overwrite", action="store_true", help="replace an earlier export at DST (a folder "
                     "holding other files is refused, nothing deleted)")
    exp.set_defaults(func=_export)


def _parse_ratios(text: str) -> tuple[float, ...]:
    try:
        ratios = tuple(float(v) for v in text.split(","))
    except ValueError:
        raise ValueError(f"--split wants numbers like 0.8,0.1,0.1, got {text!r}") from None
    if not 2 <= len(ratios) <= 3 or any(r < 0 for r in ratios) or sum(ratios) <= 0:
        raise ValueError(f"--split wants 2 or 3 non-negative ratios (train,val[,test]), got {text!r}")
    return ratios


def _export(args: argparse.Namespace) -> int:
    from fosp_core.annotation.entries import ProjectError
    from fosp_core.annotation.export import (
        DEFAULT_RATIOS,
        export_smokeseg,
        has_source_splits,
        kept_without_train,
        no_train_reason,
        no_val_words,
        not_reviewed_words,
    )
    from fosp_core.annotation.export_failure import failure_words
    from fosp_core.annotation.export_model_made import CLI_HINT, model_made_words
    from fosp_core.annotation.export_reading import reading_problem
    from fosp_core.annotation.export_tally import exported_tally, tally_words
    from fosp_core.annotation.export_target import project_file_inside
    from fosp_core.cli.import_progress import TtyProgress
    from fosp_core.data.smokeseg import SmokeSegWriteError
    from fosp_core.data.smokeseg_debris import debris_words

    try:
        splits = "keep" if not (args.split or args.all_train) else (None if args.all_train else _parse_ratios(args.split))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    resize = 512 if args.resize_512 else args.resize
    if resize is not None and resize <= 0:
        print(f"error: --resize must be a positive size in pixels, got {resize}", file=sys.stderr)
        return ExitCode.USAGE
    from fosp_core.windows_names import destination_problem

    if (bad_name := destination_problem(args.dst)) is not None:  # Windows: a folder called CON, a ':' ...
        print(f"error: {args.dst}: {bad_name}", file=sys.stderr)
        return ExitCode.USAGE
    project = _open(args.project)
    if isinstance(project, int):
        return project
    _warn_pending(project)
    held = project_file_inside(project, Path(args.dst))  # refused before exporting, in the CLI's words
    if held is not None:
        project.close()
        print(f"error: {args.dst}: holds the project's own files (e.g. {held}), which the export would "
              "replace; choose another folder", file=sys.stderr)
        return ExitCode.FAILED
    if (busy := reading_problem(Path(args.dst))) is not None:  # a running `fosp train` reads it: not replaced
        project.close()
        print(f"error: {args.dst}: {busy}", file=sys.stderr)
        return ExitCode.FAILED
    if not _has_mask_to_export(project, args.reviewed_only):
        project.close()
        print(f"nothing to export: {project.folder} has no {'reviewed ' if args.reviewed_only else ''}"
              f"saved mask; {args.dst} not written{_unreviewed_note(project, args.reviewed_only)}", file=sys.stderr)
        return ExitCode.NOTHING_TO_DO
    chosen = ""
    empty_train = kept_without_train(project.entries, args.reviewed_only) if splits == "keep" else ""
    if splits == "keep" and not args.keep_splits and not has_source_splits(project.entries):
        splits = DEFAULT_RATIOS  # as the Export dialog: keeping none would leave no validation
        chosen = f"; new splits {'/'.join(f'{r:g}' for r in splits)} (the source has none), seed {args.seed}"
    elif empty_train and not args.keep_splits:  # the demo lists its images in val only: nothing to train on
        splits = DEFAULT_RATIOS
        chosen = (f"; new splits {'/'.join(f'{r:g}' for r in splits)} ({no_train_reason(empty_train)}; "
                  f"--keep-splits keeps them), seed {args.seed}")
    elif empty_train:
        print(f"warning: no image in train (the source's splits put {empty_train}): a fine-tune of this export "
              "has nothing to learn from; export without --keep-splits, or with --split, to draw new splits",
              file=sys.stderr)
    progress = TtyProgress("exporting")  # a count on a terminal: 2 000 images take about a minute
    try:
        report = export_smokeseg(project, args.dst, reviewed_only=args.reviewed_only, splits=splits,
                                 seed=args.seed, resize_to=resize, overwrite=args.overwrite, progress=progress)
    except (ProjectError, SmokeSegWriteError) as exc:
        progress.end()  # a full disk, a read-only folder: what was left and what to do, as the Export dialog says
        print(f"error: {in_cli_words(failure_words(exc))}", file=sys.stderr)
        return ExitCode.FAILED
    except KeyboardInterrupt:  # the writer removed its unfinished copy; the destination was never touched
        progress.end()
        print(f"interrupted: nothing exported; {args.dst} is as it was", file=sys.stderr)
        return ExitCode.INTERRUPTED
    finally:
        project.close()
    progress.end()
    if report.cleaned:  # said plainly: the writer logs what it settled only when nobody takes it
        print(f"{report.dst}: {debris_words(report.cleaned)}", file=sys.stderr)
    parts = tally_words(exported_tally(report))  # each split, its model-made masks counted: the dialog's summary
    print(f"exported {report.count} image(s) to {report.dst} ({parts}{chosen})")
    if report.splits.get("train") and not report.splits.get("val") and not args.all_train:  # as the Export dialog
        print(f"warning: {no_val_words(would=False)}; {_val_way(report.count, splits)}", file=sys.stderr)
    if report.without_mask:  # counted, as the Export dialog does: a project of photos has many
        print(f"  left out {len(report.without_mask)} image(s) without a mask yet")
    if report.not_reviewed:  # --reviewed-only's choice, counted as the Export dialog does
        print(f"  {not_reviewed_words(len(report.not_reviewed))}")
    if report.model_made:  # labels nobody checked, in the training set: said, as the Export dialog does
        print(f"  note: {model_made_words(len(report.model_made), CLI_HINT)}")
    for sample_id, reason in report.problems:  # each named: the user can act on it
        print(f"  not exported {sample_id}: {reason}")
    if report.duplicates:  # a copy in train and val would score an image the model learned
        from fosp_core.cli.dataset import DRAW_HINT
        from fosp_core.data.duplicates import duplicates_words

        print(f"  {duplicates_words(report.duplicates, report.duplicate_splits, hint=DRAW_HINT)}")
    # some inputs failed (an image missing, unreadable or changed on disk): the others are exported, and
    # the exit says so, as `fosp predict` and `fosp dataset convert` do for a corrupt image (README's table)
    return ExitCode.FAILED if report.problems else ExitCode.OK


def _val_way(count: int, splits: object) -> str:
    """How to have a val image, after `no_val_words` (the Export dialog's `split_note` says the same ways): one
    image (or a val share the drawn split could not fill) needs more labelled; kept splits need --split; a val
    share of 0 a share."""
    if splits == "keep" and count > 1:
        return "export with --split and a val share"
    if isinstance(splits, tuple) and len(splits) > 1 and splits[1] == 0 and count > 1:
        return "give val a share in --split"
    return "label more images"


def _unreviewed_note(project: Project, reviewed_only: bool) -> str:
    """"; 12 images with masks not yet reviewed (review them, or export without --reviewed-only)", or "" (by
    status, nothing read)."""
    from fosp_core.annotation.export import not_reviewed, not_reviewed_images

    count = len(not_reviewed(project.entries)) if reviewed_only else 0
    if not count:
        return ""
    return f"; {not_reviewed_images(count)} (review them, or export without --reviewed-only)"


def _has_mask_to_export(project: Project, reviewed_only: bool) -> bool:
    """Whether an image of `project` has a saved mask the export would take (reviewed ones only
    with `reviewed_only`): stops at the first, no mask decoded (a mask file, or a recovery log with
    a record the app is still writing it from: `has_saved_mask`). None is "nothing to do"; masks
    that are there but cannot be read make the export fail instead (export_smokeseg names them)."""
    from fosp_core.annotation.document import Status
    from fosp_core.annotation.export import has_saved_mask

    return any(entry.status != Status.UNLABELED and (not reviewed_only or entry.status == Status.REVIEWED)
               and has_saved_mask(project, entry.id) for entry in project.entries)
