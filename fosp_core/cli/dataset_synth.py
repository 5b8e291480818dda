"""`fosp dataset synth`: composite synthetic early smoke over smoke-free backgrounds (issue 4).

Registered by `fosp_core.cli.dataset` through `register(dataset_subparsers)`; `func(args) -> int`.

    fosp dataset synth --backgrounds DIR --n N OUT [--seed S] [--size 512] [--overwrite]
                       [--val-fraction 0.1] [--contact-sheet PNG]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from fosp_core.cli import ExitCode, in_cli_words, is_inside, output_file_problem

if TYPE_CHECKING:
    import numpy as np

MIN_SIZE = 32  # the network's coarsest stride; smaller squares have no room for a plume


def register(dataset_subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the `synth` subcommand to the `fosp dataset` subparsers; returns its parser."""
    p = dataset_subparsers.add_parser(
        "synth",
        help="write a SmokeSeg dataset of synthetic early smoke composited over backgrounds",
        description=(
            "Composite procedural early-smoke plumes over smoke-free backgrounds by the paper's "
            "Eq. 1, I = (1-a)B + aS, and write a SmokeSeg (Pascal VOC) dataset. Backgrounds: any "
            "dataset layout fosp can read (labelled smoke is kept out of the crops or kept labelled) "
            "or a plain folder of images."
        ),
    )
    p.add_argument("out", type=Path, metavar="OUT", help="output SmokeSeg dataset folder")
    p.add_argument("--backgrounds", type=Path, required=True, metavar="DIR",
                   help="background images: a SmokeSeg/SMOKE5K dataset or a plain image folder")
    p.add_argument("--n", type=int, required=True, metavar="N", help="number of samples to write")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0); same seed, same data")
    p.add_argument("--size", type=int, default=512, help="square output size in pixels (default 512)")
    p.add_argument("--val-fraction", type=float, default=0.1, metavar="SHARE",
                   help="share of samples listed in val.txt (default 0.1; the rest in train.txt)")
    p.add_argument("--include-synthetic-backgrounds", action="store_true",
                   help="also use SMOKE5K synthetic images (names <digits>_<digits>) as backgrounds")
    p.add_argument("--contact-sheet", type=Path, default=None, metavar="PNG",
                   help="also write a contact sheet of the first 24 samples to this picture (.png, .jpg: "
                        "as its suffix says; no suffix: PNG)")
    p.add_argument("--overwrite", action="store_true", help="replace an earlier export at OUT (a folder holding "
                   "other files is refused, nothing deleted)")
    p.set_defaults(func=func)
    return p


def func(args: argparse.Namespace) -> int:
    """Run `fosp dataset synth`; returns the process exit code."""
    from fosp_core.data.synth import SmokeSynthesizer, SynthConfig, load_backgrounds, make_contact_sheet

    if args.n <= 0:
        print("error: --n must be positive", file=sys.stderr)
        return ExitCode.USAGE
    if args.size < MIN_SIZE:
        print(f"error: --size must be at least {MIN_SIZE} pixels, got {args.size}", file=sys.stderr)
        return ExitCode.USAGE
    if not 0.0 <= args.val_fraction < 1.0:
        print("error: --val-fraction must be in [0, 1)", file=sys.stderr)
        return ExitCode.USAGE
    if args.contact_sheet is not None and (problem := _sheet_problem(args.contact_sheet)) is not None:
        print(f"error: {problem}", file=sys.stderr)  # was a traceback, after the whole dataset
        return ExitCode.USAGE
    from fosp_core.windows_names import destination_problem

    if (bad_name := destination_problem(args.out)) is not None:  # Windows: a folder called CON, a ':' ...
        print(f"error: {args.out}: {bad_name}", file=sys.stderr)
        return ExitCode.USAGE
    if is_inside(args.backgrounds, args.out):
        print(f"error: {args.out}: would replace the background images {args.backgrounds}; choose another "
              "folder", file=sys.stderr)
        return ExitCode.USAGE
    from fosp_core.annotation.export_reading import reading_problem

    if (busy := reading_problem(Path(args.out))) is not None:  # a running `fosp train` reads it: not replaced
        print(f"error: {args.out}: {busy}", file=sys.stderr)  # as `fosp project export` says it
        return ExitCode.FAILED
    try:
        backgrounds = load_backgrounds(args.backgrounds, real_only=not args.include_synthetic_backgrounds)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    if not backgrounds:
        print(f"error: no background images found in {args.backgrounds}", file=sys.stderr)
        return ExitCode.USAGE

    from fosp_core.data.smokeseg import SmokeSegWriteError, write_smokeseg
    from fosp_core.data.smokeseg_debris import DeadExport, debris_words

    synth = SmokeSynthesizer(SynthConfig(size=args.size), seed=args.seed)
    ids = [synth.sample_id(i) for i in range(args.n)]
    n_val = int(round(args.val_fraction * args.n))
    splits = {"train": ids[n_val:], "val": ids[:n_val]} if n_val else {"train": ids}
    deltas: list[float] = []
    first: list = []

    def recorded(stream):  # keep delta of every sample, and the first 24 for the contact sheet
        for smp in stream:
            deltas.append(smp.smoke_ratio())
            if args.contact_sheet is not None and len(first) < 24:
                first.append(smp)
            smp.meta.pop("alpha", None)  # the writer does not need the soft alpha; free it early
            yield smp

    def progress(done: int, total: int | None) -> None:
        if done == args.n or done % 50 == 0:
            print(f"\rwrote {done}/{args.n}", end="" if done < args.n else "\n", file=sys.stderr)

    cleaned: list[DeadExport] = []  # dead exports' copies the writer removed: said here, not only logged
    try:
        out = write_smokeseg(recorded(synth.samples(backgrounds, args.n)), args.out, splits=splits,
                             overwrite=args.overwrite, progress=progress, cleaned=cleaned.append)
    except SmokeSegWriteError as exc:  # says the dead exports' copies settled before it failed itself
        print(f"error: {in_cli_words(exc)}", file=sys.stderr)
        return ExitCode.FAILED
    if cleaned:  # as `fosp project export` says them: the writer logs what it settled only when nobody takes it
        print(f"{args.out}: {debris_words(cleaned)}", file=sys.stderr)
    d = sorted(deltas)
    print(f"{len(d)} synthetic samples in {out}; smoke share delta median {100 * d[len(d) // 2]:.2f} %, "
          f"range {100 * d[0]:.3f}-{100 * d[-1]:.2f} %")
    if args.contact_sheet is not None:
        if (problem := _write_sheet(args.contact_sheet, make_contact_sheet(first))) is not None:
            print(f"error: {problem}", file=sys.stderr)
            return ExitCode.FAILED
        print(f"contact sheet: {args.contact_sheet}")
    return ExitCode.OK


def _sheet_format(path: Path) -> str:
    """Pillow's format for the contact sheet `path` ("PNG" without a suffix), "" when it writes no such file."""
    from PIL import Image

    if not path.suffix:
        return "PNG"
    Image.init()
    kind = Image.registered_extensions().get(path.suffix.lower(), "")
    return kind if kind in Image.SAVE else ""


def _sheet_problem(path: Path) -> str | None:
    """Why --contact-sheet `path` cannot be written (checked before the work), or None."""
    what = f"--contact-sheet {path}"
    if not path.is_dir() and not _sheet_format(path):
        return f"{what}: cannot write {path.suffix} pictures; name a .png or .jpg file"
    return output_file_problem(path, what, "contact-sheet.png")


def _write_sheet(path: Path, sheet: np.ndarray) -> str | None:
    """Write the contact sheet (RGB uint8) to `path` in its suffix's format, atomically; None, or the error."""
    import io

    from PIL import Image

    from fosp_core.io.atomic import write_atomic

    buffer = io.BytesIO()
    Image.fromarray(sheet).save(buffer, format=_sheet_format(path), optimize=True)
    try:
        write_atomic(path, buffer.getvalue())
    except OSError as exc:
        return f"--contact-sheet {path}: cannot write it: {exc.strerror or exc}"
    return None
