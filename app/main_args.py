"""`fosp-studio`'s command line: the parser (`build_parser`, `parse_args`) and the checks made on it
before anything starts (`usage_problem`, `resolve_checkpoint_option`), each problem said in one line,
exit 2 (README's exit codes). `app.main.main` runs them."""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Sequence
from pathlib import Path

from app.theme_choice import CHOICES
from fosp_core import __version__
from fosp_core.metrics.decision import parse_rule

#: `--help`'s last paragraph, wrapped here: argparse's own wrapping split the file names at their hyphens
SETTINGS_HELP = textwrap.fill(
    "Settings (recent files, video positions, theme, shortcuts) live in $FOSP_CONFIG/fosp-studio.ini, "
    "else in the cache folder, $FOSP_CACHE/fosp-studio.ini (a second profile: its own cache, projects "
    "and settings, at first a copy of the usual ones; removing that folder removes them too; move "
    "the file and set FOSP_CONFIG to keep them elsewhere), "
    "else in the usual per-user place (~/.config/FoSp on Linux).",
    width=79, break_on_hyphens=False)

SCREENSHOT_SIZE = (1280, 800)
#: The largest side of a --screenshot (8K; its grab is 256 MiB): 40000x30000 grew until the kernel killed it
MAX_SCREENSHOT_SIDE = 8192


#: Qt's own command-line options that take a value (QGuiApplication, QApplication; X11's -display and
#: -geometry), as Qt reads them: ``-style fusion`` (or ``--style fusion``, ``-style=fusion``).
QT_VALUE_OPTIONS = frozenset({"platform", "platformpluginpath", "platformtheme", "plugin", "qwindowgeometry",
                              "qwindowicon", "qwindowtitle", "session", "style", "stylesheet", "display",
                              "geometry"})


def qt_option(arg: str) -> str | None:
    """The name of Qt's value-taking option `arg` is, given without its value ("-style" -> "style"),
    else None ("-style=fusion" carries its value; an option of ours; a path)."""
    name = arg[2:] if arg.startswith("--") else arg[1:] if arg.startswith("-") else ""
    return name if name in QT_VALUE_OPTIONS else None


def parse_args(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    """Our options and the rest (left to Qt, e.g. ``-platform offscreen``). Qt's options that take a
    value go to Qt with it (argparse took ``fusion`` of ``-style fusion`` for a path to open, and Qt,
    given ``-style`` alone, left it: 'unknown option -style'); every other word not an option's is a path,
    wherever it stands."""
    argv = list(argv)
    ours: list[str] = []
    qt: list[str] = []
    at = 0
    while at < len(argv):
        arg = argv[at]
        if arg == "--":  # the rest are paths, even those starting with '-'
            ours.extend(argv[at:])
            break
        if qt_option(arg) is not None and at + 1 < len(argv):
            qt.extend(argv[at:at + 2])
            at += 2
            continue
        ours.append(arg)
        at += 1
    args, rest = build_parser().parse_known_args(ours)
    # argparse takes the paths of one run of them: those after an option ('a.png --theme light b.png') were
    # left over, to Qt, which left them too, and were never opened, without a word
    args.paths = [*args.paths, *(Path(arg) for arg in rest if not arg.startswith("-"))]
    return args, [*qt, *(arg for arg in rest if arg.startswith("-"))]


#: Options that only act on a --screenshot (the window they would change is offscreen): option -> its dest.
SCREENSHOT_ONLY = {"--run-model": "run_model", "--checkpoint": "checkpoint", "--layers": "layers",
                   "--regions": "regions", "--compare": "compare", "--size": "size"}


def build_parser() -> argparse.ArgumentParser:
    """The `fosp-studio` argument parser (`parse_args`)."""
    parser = argparse.ArgumentParser(
        prog="fosp-studio", description="FoSp Studio: early-smoke segmentation.",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=SETTINGS_HELP)
    parser.add_argument("paths", nargs="*", type=Path,
                        help="image files, folders, a video or SmokeSeg datasets (default: the bundled demo)")
    parser.add_argument("--screenshot", type=Path, metavar="OUT.png",
                        help="render the window offscreen with the paths loaded, save it in the format "
                             "its suffix names (.png, .jpg, ...; no suffix: PNG) and exit")
    parser.add_argument("--size", default=f"{SCREENSHOT_SIZE[0]}x{SCREENSHOT_SIZE[1]}", metavar="WxH",
                        help="window size for --screenshot (default %(default)s)")
    parser.add_argument("--run-model", action="store_true",
                        help="with --screenshot: run the model on the first image before the grab")
    parser.add_argument("--checkpoint", type=Path, metavar="FILE.safetensors",
                        help="with --screenshot: the Model panel's model (--run-model runs it), a file or a run folder "
                             "(its weights, as fosp predict; default: the bundled default model)")
    parser.add_argument("--layers", default="", metavar="NAME,NAME",
                        help="with --run-model: analysis layers to show, of the image or the video's frame shown "
                             "(default: probability + τ contour)")
    parser.add_argument("--regions", default="plain", metavar="RULE",
                        help="with --run-model: the Model panel's region rule (plain, core:0.7, ...; "
                             "default %(default)s)")
    parser.add_argument("--compare", type=Path, metavar="OUT.png",
                        help="with --run-model: also export the image's compare grid (paper Fig. 7; not of a "
                             "video) to this file, in the format its suffix names (.png, .jpg, ...; no suffix: PNG)")
    parser.add_argument("--theme", choices=sorted(CHOICES), default=None,
                        help="the window's colours for this run (default: the one chosen under View ▸ Theme, "
                             "dark at first; a --screenshot: dark)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


#: Options that act only with --run-model (--checkpoint also picks a video's model without it).
RUN_MODEL_ONLY = ("--layers", "--regions", "--compare")


def usage_problem(args: argparse.Namespace) -> str | None:
    """What is wrong with the options together, said before anything starts (exit 2), or None: an
    option without the --screenshot or --run-model it needs (it was ignored without a word), a
    --screenshot or --compare that names a folder (found out after the whole render) or a suffix no picture
    writer knows, a bad --size or --regions."""
    defaults = build_parser()
    given = [option for option, dest in SCREENSHOT_ONLY.items() if getattr(args, dest) != defaults.get_default(dest)]
    if args.screenshot is None:
        return f"{given[0]} only works with --screenshot OUT.png" if given else None
    if not args.run_model and (needing := [option for option in given if option in RUN_MODEL_ONLY]):
        return f"{needing[0]} only works with --run-model"
    for option, out in (("--screenshot", args.screenshot), ("--compare", args.compare)):
        if out is None:
            continue
        if out.is_dir():
            return f"{option} {out} is a folder: name the picture file to write"
        if (problem := _format_problem(out, f"{option} {out}")) is not None:
            return problem  # --compare grid.xyz was written as a PNG, after the model's run
    try:
        width, height = screenshot_size(args.size)
    except ValueError:
        return f"--size must look like 1280x800, not {args.size!r}"
    if not (0 < width <= MAX_SCREENSHOT_SIDE and 0 < height <= MAX_SCREENSHOT_SIDE):
        return f"--size {args.size}: each side must be 1 to {MAX_SCREENSHOT_SIDE} pixels"
    try:
        parse_rule(args.regions)
    except ValueError as e:
        return f"--regions: {e}"
    return None


def _format_problem(out: Path, what: str) -> str | None:
    from app.picture_format import format_problem  # here: --help and the other checks load no QtGui

    return format_problem(out, what)


def writable_formats() -> list[str]:
    """The picture formats Qt writes here ("bmp", "jpg", "png", ...): `app.picture_format.writable_formats`."""
    from app.picture_format import writable_formats as formats

    return formats()


def screenshot_format(out: Path) -> str:
    """The format to save the --screenshot `out` in (`app.picture_format.picture_format`): the one its
    suffix names, "png" without a suffix, "" when Qt cannot write that suffix."""
    from app.picture_format import picture_format

    return picture_format(out)


def screenshot_size(text: str) -> tuple[int, int]:
    """"1280x800" -> (1280, 800); ValueError when it is not two numbers joined by an x."""
    width, height = (int(v) for v in text.lower().split("x"))
    return width, height


def resolve_checkpoint_option(args: argparse.Namespace) -> str | None:
    """Replace `args.checkpoint` by the file it means (a run folder: its weights, as `fosp predict
    --checkpoint` takes it; the note printed), or return what is wrong with it (nothing there, a folder
    without weights), before the render: a folder was said to be "no such file (moved or deleted?)"."""
    if args.checkpoint is None:
        return None
    from fosp_core.checkpoint_files import CheckpointError, resolve_checkpoint  # (no torch)

    try:
        args.checkpoint, note = resolve_checkpoint(args.checkpoint)
    except CheckpointError as e:
        return f"--checkpoint: {e}"
    if note:
        print(f"fosp-studio: {note}")
    return None


def make_screenshot_folder(out: Path) -> str | None:
    """Make the folder of the --screenshot `out` (with its parents), or say why it cannot be made, before
    the render: mkdir's traceback came after it (a FileExistsError when a file sits on the way)."""
    blocking = next((p for p in out.parents if p.exists()), None)
    if blocking is not None and not blocking.is_dir():
        return f"--screenshot {out}: {blocking} is a file, not a folder"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        return f"--screenshot {out}: cannot make the folder {out.parent}: {e.strerror or e}"
    return None
