"""`fosp dataset`: convert any readable dataset to SmokeSeg, print dataset statistics.

    fosp dataset convert SRC DST --to smokeseg [--split 0.8,0.1,0.1] [--seed S] [--src-split NAME]
                         [--resize 512] [--overwrite] [--skip-bad] [--smoke-color R,G,B]
    fosp dataset stats DIR [--split NAME] [--json OUT]
    fosp dataset synth ...   (fosp_core.cli.dataset_synth, when installed)
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import importlib.util
import sys
from pathlib import Path

from fosp_core.cli import ExitCode, file_inside, in_cli_words, is_inside

__all__ = ["DRAW_HINT", "register", "duplicates_note", "parse_fractions", "random_splits", "refused_code", "skip_hint"]


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add `fosp dataset` with its subcommands; returns its parser."""
    parser = subparsers.add_parser("dataset", help="convert datasets to SmokeSeg, print statistics, synthesise early smoke",
                                   description="Dataset tools: convert, stats and synth.")
    sub = parser.add_subparsers(dest="dataset_command", metavar="SUBCOMMAND")
    parser.set_defaults(func=lambda args: (parser.print_help(), ExitCode.USAGE)[1])

    conv = sub.add_parser("convert", help="write any readable dataset in the SmokeSeg format",
                          description="Read SRC (SmokeSeg/VOC, SMOKE5K img/+gt/, ...) and write DST as a "
                                      "SmokeSeg dataset (atomic: DST appears complete or not at all).")
    conv.add_argument("src", type=Path, metavar="SRC", help="the dataset to read (a SmokeSeg/VOC or SMOKE5K folder, ...)")
    conv.add_argument("dst", type=Path, metavar="DST", help="the SmokeSeg folder to write (must be empty unless --overwrite)")
    conv.add_argument("--to", choices=["smokeseg"], default="smokeseg", help="output format (smokeseg)")
    conv.add_argument("--split", default=None, metavar="TRAIN,VAL[,TEST]",
                      help="random split fractions, e.g. 0.8,0.1,0.1 (default: keep SRC's split files, "
                           "else everything in train)")
    conv.add_argument("--seed", type=int, default=0, help="seed of the random split (default 0)")
    conv.add_argument("--src-split", default=None, metavar="NAME", help="read only this split of SRC")
    conv.add_argument("--resize", type=int, default=None, metavar="PX",
                      help="resize every image to PX x PX (SmokeSeg uses 512)")
    conv.add_argument("--overwrite", action="store_true", help="replace an earlier export at DST (a folder holding "
                      "other files is refused, nothing deleted)")
    conv.add_argument("--skip-bad", action="store_true",
                      help="skip (and report) missing or broken items instead of stopping")
    conv.add_argument("--smoke-color", default=None, metavar="R,G,B", help="smoke colour of colour masks")
    conv.set_defaults(func=run_convert)

    stats = sub.add_parser("stats", help="counts, image sizes, size buckets and a delta histogram",
                           description="Statistics of a dataset, with the smoke pixel ratio (delta) "
                                       "histogram of the paper's Fig. 5.")
    stats.add_argument("dir", type=Path, metavar="DIR", help="the dataset folder (any layout fosp reads)")
    stats.add_argument("--split", default=None, metavar="NAME", help="only this split")
    stats.add_argument("--skip-bad", action="store_true", help="report problems instead of stopping")
    stats.add_argument("--json", type=Path, default=None, metavar="OUT", help="also write the numbers as JSON")
    stats.set_defaults(func=run_stats)

    if importlib.util.find_spec("fosp_core.cli.dataset_synth") is not None:
        importlib.import_module("fosp_core.cli.dataset_synth").register(sub)
    return parser


def parse_fractions(text: str) -> list[float]:
    """"0.8,0.1,0.1" -> [0.8, 0.1, 0.1]; 2 or 3 non-negative numbers summing to 1."""
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        raise ValueError(f"--split {text!r}: expected numbers like 0.8,0.1,0.1") from None
    if len(values) not in (2, 3) or any(v < 0 for v in values) or abs(sum(values) - 1.0) > 1e-6:
        raise ValueError(f"--split {text!r}: give 2 or 3 non-negative fractions that sum to 1")
    return values


def random_splits(ids: list[str], fractions: list[float], seed: int) -> dict[str, list[str]]:
    """Shuffle ids with numpy's default_rng(seed) and cut them into train/val[/test] by fractions;
    each list keeps the original order of its ids."""
    import numpy as np

    order = np.random.default_rng(seed).permutation(len(ids))
    names = ["train", "val", "test"][: len(fractions)]
    n = len(ids)
    counts = [int(round(f * n)) for f in fractions[:-1]]
    counts.append(n - sum(counts))
    out: dict[str, list[str]] = {}
    start = 0
    for name, count in zip(names, counts, strict=True):
        chosen = sorted(order[start:start + count].tolist())
        out[name] = [ids[i] for i in chosen]
        start += count
    return out


def _parse_color(text: str | None) -> tuple[int, int, int] | None:
    if text is None:
        return None
    try:
        parts = [int(v) for v in text.split(",")]
    except ValueError:
        parts = []
    if len(parts) != 3 or not all(0 <= v <= 255 for v in parts):
        raise ValueError(f"--smoke-color {text!r}: expected R,G,B in 0..255")
    return parts[0], parts[1], parts[2]


def skip_hint(exc: Exception) -> str:
    """What to do about a dataset refused for one of its items (a mask missing, sizes that differ,
    a file that does not decode): fix that file, or leave such items out with --skip-bad, which
    names each one; "" for any other error. The words of `fosp dataset` and `fosp eval`."""
    from fosp_core.data.datasets import SampleError

    if getattr(exc, "sample_id", None) is None and not isinstance(exc, SampleError):
        return ""
    return "\n  (fix or remove that file, or pass --skip-bad to leave out such items, each named)"


def refused_code(exc: Exception) -> ExitCode:
    """The exit code of a dataset that could not be opened: FAILED when one of its items is the
    problem (`skip_hint` says what to do; the README's "some inputs failed", as an image that does not
    decode), USAGE when the path is no readable dataset."""
    return ExitCode.FAILED if skip_hint(exc) else ExitCode.USAGE


def _source_splits(src: Path, ids: list[str], skipped: set[str]) -> tuple[dict[str, list[str]] | None, list[str],
                                                                       list[str]]:
    """The splits of SmokeSeg dataset `src` over the `ids` it has (None without split files), what
    to say of an id listed without an image (and not among the `skipped`, already named), and the
    images listed in no split file (`_unlisted_note` words them once the items that fail to decode
    are known: those are named as skipped, not here). Neither is dropped in silence."""
    from fosp_core.data.dataset_layouts import read_split_lines
    from fosp_core.data.datasets import available_splits

    present = set(ids)
    files = {k: v for k, v in available_splits(src).items() if v.is_file()}
    splits: dict[str, list[str]] = {}
    missing: list[str] = []
    for name, path in files.items():
        lines = read_split_lines(path)
        splits[name] = [i for _, i in lines if i in present]
        missing += [f"{path.name} line {n} {i!r}" for n, i in lines if i not in present and i not in skipped]
    if not splits:
        return None, [], []
    listed = {i for members in splits.values() for i in members}
    notes = [f"listed, but no image (not written): {', '.join(missing)}"] if missing else []
    return splits, notes, [i for i in ids if i not in listed]


def _unlisted_note(src: Path, unlisted: list[str]) -> str | None:
    """What convert says of the images of `src` listed in no split file (written, in no list)."""
    if not unlisted:
        return None
    return (f"in no split file of {src} (written, listed in no split; --split 0.8,0.1,0.1 draws new "
            f"splits): {', '.join(unlisted)}")


DRAW_HINT = "--split 0.8,0.1,0.1 draws splits that keep each group in one"  # both commands' --split


def duplicates_note(groups: list[list[str]], splits: dict[str, list[str]]) -> str:
    """What convert says of the exact duplicates `groups` (ids of SRC) written in `splits`: named,
    with where they went, in the export's words (`duplicates_words`). Drawn splits keep each group in
    one split; kept ones (SRC's split files, or all in train) are written as they are, and a group
    they put in more than one split is named with its splits (the validation score would count an
    image the model learned)."""
    from fosp_core.data.duplicates import duplicates_words, group_splits

    return duplicates_words(groups, group_splits(groups, splits), hint=DRAW_HINT)


def run_convert(args: argparse.Namespace) -> int:
    """`fosp dataset convert`; returns the exit code."""
    from fosp_core.data.datasets import (
        DatasetError,
        SampleError,
        available_splits,
        open_dataset,
    )
    from fosp_core.data.duplicates import exact_duplicates, keep_together
    from fosp_core.data.smokeseg import SmokeSegWriteError, write_smokeseg
    from fosp_core.data.smokeseg_debris import DeadExport, debris_words
    from fosp_core.data.smokeseg_ids import renamed_why, smokeseg_ids

    on_error = "skip" if args.skip_bad else "raise"
    from fosp_core.windows_names import destination_problem

    if (bad_name := destination_problem(args.dst)) is not None:  # Windows: a folder called CON, a ':' ...
        print(f"error: {args.dst}: {bad_name}", file=sys.stderr)
        return ExitCode.USAGE
    if is_inside(args.src, args.dst):
        print(f"error: {args.dst}: would replace the source dataset {args.src}; choose another folder",
              file=sys.stderr)
        return ExitCode.USAGE
    if args.resize is not None and args.resize <= 0:
        print(f"error: --resize must be a positive size in pixels, got {args.resize}", file=sys.stderr)
        return ExitCode.USAGE
    try:
        fractions = parse_fractions(args.split) if args.split else None
        color = _parse_color(args.smoke_color)
        dataset = open_dataset(args.src, args.src_split, on_error=on_error, smoke_color=color)
    except (ValueError, DatasetError) as exc:
        print(f"error: {exc}{skip_hint(exc)}", file=sys.stderr)
        return refused_code(exc)
    if not dataset.has_labels:
        print(f"error: {args.src}: no masks ({dataset.layout} layout); SmokeSeg needs labelled images",
              file=sys.stderr)
        return ExitCode.USAGE
    if not dataset.ids:  # an empty dataset is not written (as an export with nothing to export)
        split = f" (split {args.src_split})" if args.src_split else ""
        print(f"nothing to convert: {args.src}{split} has no image; {args.dst} not written", file=sys.stderr)
        return ExitCode.NOTHING_TO_DO
    read = [f for e in dataset.entries for f in (e.image, e.mask) if f is not None]
    held = file_inside(Path(args.src), [*read, *available_splits(args.src).values()], Path(args.dst))
    if held is not None:
        print(f"error: {args.dst}: holds files of the source dataset (e.g. {held}), which the conversion would "
              "replace; choose another folder", file=sys.stderr)
        return ExitCode.USAGE
    from fosp_core.annotation.export_reading import reading_problem

    if (busy := reading_problem(Path(args.dst))) is not None:  # a running `fosp train` reads it: not replaced
        print(f"error: {args.dst}: {busy}", file=sys.stderr)  # as `fosp project export` says it
        return ExitCode.FAILED
    skipped = list(dataset.skipped)
    ids = dataset.ids
    notes: list[str] = []  # what of SRC's split files DST does not keep as listed
    unlisted: list[str] = []  # images in no split file of SRC: named once the undecodable are known
    renamed = {k: v for k, v in smokeseg_ids(ids).items() if k != v}  # white space -> "_", as the export
    # checked whatever the splits: a copy in train and val would score an image the model learned
    duplicates = exact_duplicates({e.id: e.image for e in dataset.entries})
    if fractions is not None:  # drawn: each group in one split
        splits = keep_together(random_splits(ids, fractions, args.seed), duplicates)
    elif args.src_split is None and dataset.layout == "smokeseg":
        splits, notes, unlisted = _source_splits(args.src, ids, {s for s, _ in dataset.skipped})
    else:
        splits = None
    if splits is None:
        splits = {"train": list(ids)}
    if duplicates:
        notes.append(duplicates_note(duplicates, splits))
    splits = {name: [renamed.get(i, i) for i in members] for name, members in splits.items()}

    def samples():
        # Items that fail to decode are dropped from the split lists in place: the writer reads the
        # lists after the last sample.
        for i, sample_id in enumerate(ids):
            try:
                sample = dataset[i]
            except SampleError as exc:
                if not args.skip_bad:
                    raise
                skipped.append((sample_id, exc.reason))
                for members in splits.values():
                    if renamed.get(sample_id, sample_id) in members:
                        members.remove(renamed.get(sample_id, sample_id))
                continue
            yield dataclasses.replace(sample, id=renamed[sample_id]) if sample_id in renamed else sample

    def progress(done: int, total: int | None) -> None:
        if sys.stderr.isatty() and (done % 100 == 0 or done == len(ids)):
            print(f"\r{done}/{len(ids)}", end="", file=sys.stderr, flush=True)

    cleaned: list[DeadExport] = []  # dead exports' copies the writer removed: said here, not only logged
    try:
        dst = write_smokeseg(samples(), args.dst, splits=splits, resize_to=args.resize,
                             overwrite=args.overwrite, progress=progress, cleaned=cleaned.append)
    except (SmokeSegWriteError, SampleError) as exc:  # an item that does not decode: fix it or --skip-bad
        if cleaned and not isinstance(exc, SmokeSegWriteError):  # a SmokeSegWriteError says them itself
            print(f"{args.dst}: {debris_words(cleaned)}", file=sys.stderr)
        print(f"error: {in_cli_words(exc)}{skip_hint(exc)}", file=sys.stderr)
        return ExitCode.FAILED
    if sys.stderr.isatty():
        print(file=sys.stderr)
    if cleaned:  # as `fosp project export` says them: the writer logs what it settled only when nobody takes it
        print(f"{args.dst}: {debris_words(cleaned)}", file=sys.stderr)
    for sample_id, reason in skipped:
        print(f"skipped {sample_id}: {reason}", file=sys.stderr)
    for old_id, new_id in renamed.items():
        if not any(old_id == s for s, _ in skipped):
            print(f"renamed {old_id} -> {new_id} ({renamed_why(old_id)})", file=sys.stderr)
    failed = {sample_id for sample_id, _ in skipped}
    for note in [*notes, _unlisted_note(args.src, [i for i in unlisted if i not in failed])]:
        if note is not None:
            print(note, file=sys.stderr)
    written = len(ids) - (len(skipped) - len(dataset.skipped))
    counts = ", ".join(f"{k} {len(v)}" for k, v in splits.items())
    print(f"wrote {written} samples to {dst} ({counts}); skipped {len(skipped)}")
    return ExitCode.OK


def run_stats(args: argparse.Namespace) -> int:
    """`fosp dataset stats`; returns the exit code."""
    from fosp_core.cli import output_file_problem, write_json_file
    from fosp_core.data.datasets import DatasetError, open_dataset
    from fosp_core.data.stats import dataset_stats, format_stats

    problem = output_file_problem(Path(args.json), f"--json {args.json}") if args.json else None
    if problem is not None:
        print(f"error: {problem}", file=sys.stderr)
        return ExitCode.USAGE
    try:
        dataset = open_dataset(args.dir, args.split, on_error="skip" if args.skip_bad else "raise")
    except DatasetError as exc:
        print(f"error: {exc}{skip_hint(exc)}", file=sys.stderr)
        return refused_code(exc)
    stats = dataset_stats(dataset)
    print(format_stats(stats))
    if args.json:
        error = write_json_file(Path(args.json), stats.to_json())
        if error is not None:
            print(f"error: {error}", file=sys.stderr)
            return ExitCode.FAILED
    # README's exit codes: 1 some inputs failed (images or masks that could not be read, each
    # named above); --skip-bad asks for a report of them, not a failure
    failed = stats.unreadable or stats.unreadable_images
    return ExitCode.FAILED if failed and not args.skip_bad else ExitCode.OK
