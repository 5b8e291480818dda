"""`fosp compare`: two checkpoints on the same images, image by image, as the app's Analysis ▸ Compare
Two Checkpoints (`fosp_core.analysis.compare`).

    fosp compare A B [IMAGES ...] [--project DIR [--reviewed-only]] [--labelled-only]
                 [--threshold 0.5] [--keep plain] [--input-size 512] [--tiled] [--tau T] [--device auto]
                 [--precision fp32] [--csv OUT]

A and B are checkpoints as `fosp eval --checkpoint` takes them (a file, a run folder, a run's name).
IMAGES are files, folders or datasets (their JPEGImages/); with `--project DIR` and no IMAGES, the
project's images. Ground truth (`fosp_core.analysis.compare_truth`): an image's dataset label
(SegmentationClass/, gt/ beside it) wins; else, with --project, the image's mask in that annotation
project when a person reviewed or edited it (--reviewed-only: reviewed only). A predicted mask - a
model's output nobody touched - is never ground truth. A ground truth of another size than its image
leaves the image out, named. The report says how many images of each source were scored, the
per-split F_beta of both, where B is better or worse, and - when a checkpoint records the images it
was trained on (a fine-tune's) - how many of these it was trained on and the scores over the
held-out rest. `--csv OUT`: one row per image (the app's Save CSV…: its ground-truth source and
trained-on columns included). On a terminal the images compared are counted on stderr as they go.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from fosp_core.cli import ExitCode, add_keep_argument, output_file_problem
from fosp_core.cli.exit_codes import fail
from fosp_core.cli.help_text import as_help
from fosp_core.cli.import_progress import TtyProgress

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add `fosp compare`; returns its parser."""
    p = subparsers.add_parser(
        "compare", help="compare two checkpoints image by image (dataset labels or a project's masks)",
        description=as_help(__doc__).replace("`", ""), formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("checkpoint_a", type=Path, metavar="A", help="checkpoint A (e.g. the default or a fine-tune's start)")
    p.add_argument("checkpoint_b", type=Path, metavar="B", help="checkpoint B (e.g. the fine-tune)")
    p.add_argument("images", nargs="*", default=[], metavar="IMAGES",
                   help="image files, folders or datasets; default with --project: the project's images")
    p.add_argument("--project", default=None, metavar="DIR",
                   help="annotation project (its images' folder, or the project folder): its reviewed and edited "
                        "masks are ground truth where an image has no dataset label (never its predicted ones)")
    p.add_argument("--reviewed-only", action="store_true",
                   help="with --project: only reviewed masks are ground truth, not edited ones")
    p.add_argument("--labelled-only", action="store_true",
                   help="compare only images with a ground truth (the others are skipped before any model runs)")
    p.add_argument("--threshold", type=float, default=0.5, help="probability threshold of the masks (default 0.5)")
    add_keep_argument(p)
    p.add_argument("--device", default="auto", help="device (auto, cpu, cuda, mps)")
    p.add_argument("--input-size", type=int, default=512, metavar="N",
                   help="long side of the network input (multiple of 32; default 512)")
    p.add_argument("--tiled", action="store_true",
                   help="overlapping tiles of --input-size px at native resolution (large frames), as the app's "
                        "Input '512 px tiles, full resolution'")
    p.add_argument("--tau", type=float, default=None, metavar="T",
                   help="Focus threshold both run at (default: each checkpoint's own)")
    p.add_argument("--precision", choices=["fp32", "bf16", "fp16"], default="fp32",
                   help="inference precision (default fp32)")
    p.add_argument("--csv", type=Path, default=None, metavar="OUT", help="write one row per image as CSV")
    p.set_defaults(func=run)
    return p


def _usage_problem(args: argparse.Namespace) -> str | None:
    """Why the arguments cannot be run, checked before any work; None when they can."""
    from fosp_core.metrics.decision import parse_rule

    if not 0.0 <= args.threshold <= 1.0:
        return "--threshold must be in [0, 1]"
    if args.tau is not None and not 0.0 <= args.tau <= 1.0:
        return "--tau must be in [0, 1]"
    if args.input_size < 32 or args.input_size % 32:
        return f"--input-size must be a positive multiple of 32, got {args.input_size}"
    try:
        args.keep = str(parse_rule(args.keep))
    except ValueError as exc:
        return f"--keep: {exc}"
    if args.reviewed_only and args.project is None:
        return "--reviewed-only needs --project"
    if not args.images and args.project is None:
        return "name the images to compare on (files, folders, datasets), or an annotation project with --project"
    if args.csv is not None:
        return output_file_problem(args.csv, f"--csv {args.csv}", "compare.csv")
    return None


def _images(args: argparse.Namespace, project: Any) -> tuple[list[Path], int] | ExitCode:
    """(the images to compare, how many a folder's entries were left out: broken links, named): IMAGES
    expanded, else the project's (in project order); USAGE for a path given that is not there or holds none."""
    from fosp_core.open_paths import collect_image_paths

    if not args.images:
        return [project.image_path(i) for i in project.ids], 0
    from fosp_core.cli.predict_paths import gifs_by_folder, gifs_skipped

    gifs: list[Path] = []
    found, errors = collect_image_paths(args.images, gifs=gifs)
    for folder, left_out in gifs_by_folder(gifs).items():
        print(gifs_skipped(folder, left_out, "compare on"), file=sys.stderr)
    given = {Path(name).expanduser().absolute() for name in args.images}
    named = [e for e in errors if e.path.expanduser().absolute() in given]  # a path given: not there, not images
    for error in named:
        print(f"error: {error.path}: {error.reason}", file=sys.stderr)
    if named:
        return ExitCode.USAGE
    for error in errors:  # a folder's broken link: left out and named, as an unreadable image is (exit 1)
        print(f"left out {error.path}: {error.reason}", file=sys.stderr)
    return found, len(errors)


def run(args: argparse.Namespace) -> int:
    """Run `fosp compare`; returns the exit code."""
    if (problem := _usage_problem(args)) is not None:
        return fail(problem, ExitCode.USAGE)
    project = None
    if args.project is not None:
        from fosp_core.cli.project_opening import open_project

        opened = open_project(args.project)
        if isinstance(opened, ExitCode):
            return opened
        project = opened
    try:
        return _compare(args, project)
    finally:
        if project is not None:
            project.close()


def _compare(args: argparse.Namespace, project: Any) -> int:
    from fosp_core.analysis.compare import compare_images, summarize, summary_lines, truth_sources_line
    from fosp_core.analysis.compare_trained import image_verdicts, trained_summary_lines
    from fosp_core.analysis.compare_truth import ProjectTruth, ground_truth, project_lookup, truth_counts_text
    from fosp_core.cli.eval import checkpoint_files, checkpoint_fn, kept_words
    from fosp_core.trained_on import checkpoint_trained_images

    try:  # both found before the images are looked at (they were listed, then B was said missing)
        found = checkpoint_files([args.checkpoint_a, args.checkpoint_b])
    except RuntimeError as exc:
        return fail(str(exc), ExitCode.USAGE)
    images = _images(args, project)
    if isinstance(images, ExitCode):
        return images
    paths, left_out = images
    if not paths:
        print("nothing to compare: no image" + (" left (those above could not be read)" if left_out else ""),
              file=sys.stderr)
        return ExitCode.FAILED if left_out else ExitCode.NOTHING_TO_DO
    truth = None if project is None else ProjectTruth.take(paths, project_lookup([project]),
                                                           reviewed_only=args.reviewed_only)
    print(f"{len(paths)} image{'' if len(paths) == 1 else 's'}, {truth_counts_text(paths, truth)}")
    try:
        loaded = [checkpoint_fn(c, args.device, args.input_size, args.tau, args.precision, args.tiled) for c in found]
    except RuntimeError as exc:
        return fail(str(exc), ExitCode.USAGE)
    files = (loaded[0][1], loaded[1][1])
    print(f"A: {files[0]}\nB: {files[1]}")
    if args.keep != "plain":
        print(kept_words(args.keep))
    started = datetime.now().astimezone()
    rows = []
    count = TtyProgress("images compared")  # on a terminal: minutes of CPU said, not silent
    for row in compare_images(_counted(paths, count), loaded[0][0], loaded[1][0], args.threshold,
                              labelled_only=args.labelled_only, keep=args.keep,
                              truth=lambda p, s: ground_truth(p, s, truth)):
        if row.error:
            count.end()
            print(f"left out {row.path}: {row.error}", file=sys.stderr)
        rows.append(row)
    count.end()
    known = (checkpoint_trained_images(files[0]), checkpoint_trained_images(files[1]))
    marks = {r.path: image_verdicts(known, r.path, truth) for r in rows}
    lines = summary_lines(summarize(rows))
    if (sources := truth_sources_line(rows)) is not None:
        lines.append(sources)
    lines += trained_summary_lines(rows, marks)
    print("\n".join(lines))
    if args.csv is not None and (code := _write_csv(args, rows, files, marks, started, project)) != ExitCode.OK:
        return code
    return ExitCode.FAILED if left_out or any(r.error for r in rows) else ExitCode.OK


def _counted(paths: list[Path], progress: TtyProgress) -> Iterator[Path]:
    """`paths`, telling `progress` how many were compared when the next is asked for (and the whole
    count at the end): images `--labelled-only` skips count too."""
    for done, path in enumerate(paths):
        progress(done, len(paths))
        yield path
    progress(len(paths), len(paths))


def _write_csv(args: argparse.Namespace, rows: list, files: tuple[Path, Path], marks: dict,
               started: datetime, project: Any) -> ExitCode:
    """`--csv OUT`: the rows with the app's setup and trained-on columns."""
    from fosp_core.analysis.compare_report import CompareRequest, compare_csv
    from fosp_core.analysis.compare_trained import with_trained_columns
    from fosp_core.io.atomic import write_atomic

    request = CompareRequest(tuple(r.path for r in rows), files[0], files[1], _device(args.device), args.precision,
                             args.threshold, args.input_size, args.labelled_only, "tiled" if args.tiled else "default", args.keep,
                             args.tau)
    variants = (_variant(files[0]), _variant(files[1]))
    text = with_trained_columns(compare_csv(rows, request, variants, started, _scope(args, project)), marks)
    try:
        write_atomic(args.csv, text.encode("utf-8"))
    except OSError as exc:
        return fail(f"--csv {args.csv}: cannot write it: {exc.strerror or exc}", ExitCode.FAILED)
    return ExitCode.OK


def _variant(checkpoint: Path) -> str:
    """The model variant a checkpoint's metadata names ("fosp-s"), or "" (its header only)."""
    from fosp_core.checkpoint import CheckpointError, read_metadata

    try:
        return str(read_metadata(checkpoint).get("model_name", ""))
    except (CheckpointError, OSError, ValueError):
        return ""


def _scope(args: argparse.Namespace, project: Any) -> str:
    """The CSV's "images" cell: which images the command line gave ("the images named", "the images of
    project photos"), then ", only those with a ground truth" with --labelled-only."""
    if args.images:
        text = "the images named"
    else:
        from fosp_core.analysis.compare_truth import project_name

        text = f"the images of project {project_name(project)}"
    return text + (", only those with a ground truth" if args.labelled_only else "")


def _device(spec: str) -> str:
    """The device the checkpoints ran on ("cpu", "cuda:0"), as the app's CSV names it, not "auto"."""
    from fosp_core.infer.devices import DeviceError, resolve_device

    try:
        return str(resolve_device(spec))
    except (DeviceError, RuntimeError, ValueError):
        return spec
