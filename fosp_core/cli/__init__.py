"""The `fosp` command line. Each subcommand lives in its own module with `register(subparsers)`."""

from __future__ import annotations

import argparse
import atexit
import gc
import importlib
import io
import json
import os
import sys
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TextIO

from fosp_core.cli.exit_codes import ExitCode
from fosp_core.cli.pillow_words import each_file_said, is_pillows, pillow_line
from fosp_core.cli.stdout_errors import silence_stdout, stdout_fails
from fosp_core.omp_policy import apply_default_wait_policy

#: When the command started (a `time.perf_counter()` reading, taken as the CLI is imported and again
#: as `main` starts, before torch): `fosp train`'s `train.time_budget_s` counts from it, start-up
#: included; a process running several commands counts each from its own start.
STARTED_AT = time.perf_counter()

__all__ = ["ExitCode", "add_keep_argument", "build_parser", "expand_home", "file_inside", "home_problem", "in_cli_words", "is_inside",
           "main", "output_file_problem", "write_json_file"]

# Subcommand modules, in help order. Each defines register(subparsers) and sets func on its parser;
# func(args) -> int exit code, one of ExitCode (fosp_core.cli.exit_codes: one meaning per code).
SUBCOMMANDS: list[str] = [
    "fosp_core.cli.info",
    "fosp_core.cli.dataset",
    "fosp_core.cli.eval",
    "fosp_core.cli.compare",
    "fosp_core.cli.predict",
    "fosp_core.cli.project",
    "fosp_core.cli.video",
    "fosp_core.cli.train",
    "fosp_core.cli.train_ssl",
    "fosp_core.cli.train_mine",
]


def add_keep_argument(p: argparse.ArgumentParser) -> None:
    """`--keep RULE`, the region rule of the masks (`fosp_core.metrics.decision`), for the commands
    that threshold probabilities (`fosp predict`, `fosp eval`); each parses it with `parse_rule`."""
    p.add_argument("--keep", default="plain", metavar="RULE",
                   help="which regions of the threshold mask count as smoke: plain (all, default), core:T "
                        "(only regions with a pixel above T), mean:T (mean probability above T), area:A (at "
                        "least A px at a 512 long side); fewer false alarms, fewer faint small plumes "
                        "(docs/training.md, stage 23)")


def is_inside(path: Path, folder: Path) -> bool:
    """True when `path` is `folder` or lies under it (both resolved): writing `folder` with
    --overwrite would delete `path`."""
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def file_inside(root: Path, files: Iterable[Path], dst: Path) -> Path | None:
    """One of `files` that lies inside `dst` (a folder a write with --overwrite replaces whole),
    or None. `root` is the folder the files live under: when `dst` and `root` are apart (the usual
    case) no file is looked at."""
    target = Path(os.path.realpath(dst))
    base = Path(os.path.realpath(root))
    if not (target.is_relative_to(base) or base.is_relative_to(target)):
        return None
    return next((f for f in files if Path(os.path.realpath(f)).is_relative_to(target)), None)


#: Words of the Python API that reach the command line through its errors, and the flag that says
#: the same there (`fosp_core.data.smokeseg`'s "pass overwrite=True / --overwrite").
_API_WORDS = {"overwrite=True / --overwrite": "--overwrite"}


def in_cli_words(exc: BaseException) -> str:
    """An error of the Python API as the command line says it: its keyword arguments become the
    flags that set them."""
    text = str(exc)
    for api, flag in _API_WORDS.items():
        text = text.replace(api, flag)
    return text


def output_file_problem(path: Path, what: str, example: str = "results.json") -> str | None:
    """None when a file can be written at `path` (its folder is created and probed with a temp
    file), else the error naming `what` (e.g. "--json out.json"): checked before the work, so a long
    evaluation or mining run does not end in an output it cannot write."""
    import tempfile

    from fosp_core.windows_names import destination_problem

    if path.is_dir():
        return f"{what}: is a folder; name the file, e.g. {path / example}"
    if (bad_name := destination_problem(path)) is not None:  # Windows: CON, NUL, a ':' ... named, not the OS's words
        return f"{what}: {bad_name}"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".fosp-write-test.", dir=path.parent)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        return _cannot_write(path, what, exc)
    return None


def _cannot_write(path: Path, what: str, exc: OSError) -> str:
    """The error line of a failed write of `path`: the parent in the way when one is no folder (mkdir's
    "File exists" names neither it nor what to do), else the OS's reason."""
    from fosp_core.folder_in_the_way import in_the_way_words

    if (in_the_way := in_the_way_words(path.parent)) is not None:
        return f"{what}: cannot write it: {in_the_way}; name another folder"
    return f"{what}: cannot write it: {exc.strerror or exc}"


def write_json_file(path: Path, data: object) -> str | None:
    """Write `data` as indented JSON to `path` atomically, creating its folder (`--json OUT` of
    `fosp eval` and `fosp dataset stats`); None when written, else an error line naming the path."""
    from fosp_core.io.atomic import write_atomic
    from fosp_core.windows_names import destination_problem

    if path.is_dir():
        return f"--json {path}: is a folder; name the JSON file, e.g. {path / 'results.json'}"
    if (bad_name := destination_problem(path)) is not None:
        return f"--json {path}: {bad_name}"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, (json.dumps(data, indent=2) + "\n").encode("utf-8"))
    except OSError as exc:
        return _cannot_write(path, f"--json {path}", exc)
    return None


def expand_home(words: Sequence[str]) -> list[str]:
    """The command line's words with a leading ``~`` or ``~user`` read as the shell reads it (the home
    folder), in an option's ``--json=~/x`` form too: a quoted "~/out.json" (a script, Windows' cmd or
    PowerShell, a tool passing words as they are) made a folder named ``~`` in the working folder and
    wrote there. Words not starting with it (``a~/b``, ``train.name=~x``) and an unknown user's are
    left as they are."""
    out: list[str] = []
    for word in words:
        if _home_word(word):
            word = os.path.expanduser(word)
        elif word.startswith("--") and "=~" in word:
            option, _, value = word.partition("=")
            if _home_word(value):
                word = f"{option}={os.path.expanduser(value)}"
        out.append(word)
    return out


def home_problem(words: Sequence[str]) -> str | None:
    """Why a word of the command line (after `expand_home`) names nothing: it starts with the home folder of a
    user who is not here (``~nosuchuser/a.jpg``: the shell leaves it as typed; read as a folder named
    ``~nosuchuser`` in the working folder, an input was "no such file" and an output was written there), in
    the words of `fosp_core.home_folder`; None when none does. A file or folder of that very name here is
    taken as it is."""
    from fosp_core.home_folder import no_home_text

    for word in words:
        value = word.partition("=")[2] if word.startswith("--") and "=~" in word else word
        if _home_word(value) and not os.path.lexists(value) and (text := no_home_text(value)):
            here = "" if value == "~" or value[1] in "/\\" else f", or ./{value} for one of that name in the working folder"
            return text + here
    return None


def _home_word(word: str) -> bool:
    """Whether `word` names the home: ``~`` alone or before a separator, or ``~user`` on POSIX (whose
    user database says whether there is one). Windows' expanduser reads any ``~name`` as a user beside
    the current one without asking (``~1.png`` -> ``C:\\Users\\1.png``), and no Windows shell does."""
    if not word.startswith("~"):
        return False
    return os.name == "posix" or word == "~" or word[1] in "/\\"


def build_parser() -> argparse.ArgumentParser:
    """The `fosp` parser with every subcommand of SUBCOMMANDS registered."""
    from fosp_core import __version__

    parser = argparse.ArgumentParser(prog="fosp", description="FoSp Studio command line")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")  # as fosp-studio's
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMANDS:
        importlib.import_module(name).register(sub)
    _describe(parser)
    return parser


def _describe(parser: argparse.ArgumentParser) -> None:
    """Give each (sub)command without a description its one-line summary as one (its --help showed the usage
    line and arguments alone: ``fosp project status --help``), pointing at its group's --help when that
    says more (``fosp video --help``: the module doc)."""
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        summaries = {choice.dest: choice.help or "" for choice in action._choices_actions}
        for name, child in action.choices.items():
            summary = summaries.get(name, "").strip()
            if not (child.description or "").strip() and summary:
                more = f" More: {parser.prog} --help." if parser.description and "\n" in parser.description else ""
                child.description = f"{summary[0].upper()}{summary[1:]}.{more}"
            _describe(child)


def _parse(parser: argparse.ArgumentParser, words: list[str]) -> argparse.Namespace:
    """`parser.parse_args(words)`, but a word no parser took is refused by the subcommand it was given to,
    with its usage ("usage: fosp project status ..."): the top parser said it with its own ("usage: fosp
    [-h] COMMAND ..."). ``-h``/``--help`` before a ``--`` prints the (sub)command's help wherever it is."""
    if (asked := _help_asked(parser, words)) is not None:
        asked.print_help()
        asked.exit(0)
    args, extra = parser.parse_known_args(words)
    innermost = _innermost(parser, args)
    if extra:
        if not _take_late_paths(innermost, args, extra):
            innermost.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def _help_asked(parser: argparse.ArgumentParser, words: list[str]) -> argparse.ArgumentParser | None:
    """The parser of the (sub)command whose help ``-h``/``--help`` among `words` (before a ``--``) asks for, or
    None when none does. Help wins wherever it is: after an option still waiting for its value (``fosp predict
    x --out --help``, ``fosp train --export-default --help CONFIG``: argparse said "expected one argument"), one
    given a bad value (``--threshold abc --help``), and among the words a command takes whole (``fosp train
    CONFIG k=v --help``: the overrides after CONFIG), as argparse's own ``fosp predict --help x`` does. The
    (sub)command is the one named by the words before it (``fosp project init --help``)."""
    words = words[:words.index("--")] if "--" in words else words
    if "-h" not in words and "--help" not in words:
        return None
    asked = parser
    for word in words:
        if word in ("-h", "--help"):
            return asked
        chosen = next((action.choices[word] for action in asked._actions  # a (sub)command's name: its own parser
                       if isinstance(action, argparse._SubParsersAction) and word in action.choices), None)
        if chosen is not None:
            asked = chosen
    return asked


def _take_late_paths(parser: argparse.ArgumentParser, args: argparse.Namespace, extra: list[str]) -> bool:
    """Put the words left over after an option (``fosp predict a.jpg --out OUT b.jpg``: argparse takes one
    run of a list's words) in the command's one list of paths (nargs * or +), as `parse_intermixed_args`
    would; True when taken. Not when one is an option (unknown), or the command has no such list."""
    lists = [a for a in parser._actions if not a.option_strings and a.nargs in ("*", "+")]
    if len(lists) != 1 or any(word.startswith("-") for word in extra):
        return False
    action = lists[0]
    convert = action.type if callable(action.type) else str
    setattr(args, action.dest, [*(getattr(args, action.dest) or []), *(convert(word) for word in extra)])
    return True


def _innermost(parser: argparse.ArgumentParser, args: argparse.Namespace) -> argparse.ArgumentParser:
    """The parser of the (sub)subcommand `args` were parsed for."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            chosen = getattr(args, action.dest, None)
            if chosen in action.choices:
                return _innermost(action.choices[chosen], args)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the `fosp` command line `argv` (default: sys.argv[1:]); returns its exit code (ExitCode).
    argparse's own usage errors and --help end in SystemExit (2 and 0), as everywhere."""
    global STARTED_AT
    STARTED_AT = time.perf_counter()  # this command's start (`fosp train`'s time budget counts from it)
    # before the subcommands' modules load torch: OpenMP reads it then (a user's own setting wins); here,
    # not at import, so that a library call reaching this package (`analysis.settings.device_choices`)
    # changes nothing
    apply_default_wait_policy()
    if argv is None:  # the program itself (the fosp script, python -m fosp_core), not a library call
        atexit.unregister(_end_quickly)  # once, however often main runs
        atexit.register(_end_quickly)
    parser = build_parser()
    words = expand_home(sys.argv[1:] if argv is None else argv)
    args = _parse(parser, words)
    if not getattr(args, "func", None):
        parser.print_help()
        return ExitCode.USAGE
    if (no_home := home_problem(words)) is not None:
        print(f"error: {no_home}", file=sys.stderr)
        return ExitCode.USAGE
    try:
        with warnings.catch_warnings():  # the caller's warning display is given back after
            warnings.showwarning = _said_as_lines(warnings.showwarning)
            each_file_said()
            code = int(args.func(args) or 0)
        sys.stdout.flush()  # a closed pipe (`fosp ... | head`) shows here, not at interpreter exit
        return code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        silence_stdout()
        return ExitCode.FAILED
    except OSError as exc:  # stdout on a full disk (`> status.json`, `> /dev/full`): said, not a traceback
        if exc.filename is not None or not stdout_fails():
            raise
        print(f"error: cannot write the command's output ({exc.strerror or exc})", file=sys.stderr)
        silence_stdout()
        return ExitCode.FAILED


def _said_as_lines(show_python: Callable[..., None]) -> Callable[..., None]:
    """A `warnings.showwarning` saying fosp_core's warnings (`fosp_core.mask_warnings`, ...) as the command's
    other messages, "warning: TEXT" on stderr: Python's form was "/usr/bin/fosp:8: NotAMaskWarning: TEXT"
    and the line "sys.exit(main())"; Pillow's as `fosp_core.cli.pillow_words` says them. Others go to
    `show_python`."""

    def show(message: Warning | str, category: type[Warning], filename: str, lineno: int,
             file: TextIO | None = None, line: str | None = None) -> None:
        if is_pillows(category, filename):  # "warning: FILE: what", or said by the reader's error
            said = pillow_line(message)
        elif category.__module__.split(".")[0] == "fosp_core":
            said = f"warning: {message}"
        else:
            show_python(message, category, filename, lineno, file, line)
            return
        if said is not None:
            print(said, file=sys.stderr if file is None else file)

    return show


def _end_quickly() -> None:
    """At the exit of a `fosp` process that loaded torch: freeze the objects alive (`gc.freeze`) so that the
    interpreter's finalization, whose full collections each walk the ~170 000 objects torch's modules hold
    (~2 s on 2 busy cores, after the command's last line), walks only those made after it. Open files are
    flushed first (one in a reference cycle is otherwise flushed only by those collections, or not at all:
    they close its file descriptor before its buffer, in no set order) and the garbage there is now is
    collected (its finalizers run, as they would). What no longer happens: the `__del__` of an object in a
    reference cycle still held at exit (Python promises none; fosp_core defines none: its exit work is in
    `atexit` handlers, which run before this one when registered after `main` started, and after it else)."""
    if "torch" not in sys.modules:
        return  # a process without it ends quickly as it is
    kinds = _file_types()
    for file in [obj for obj in gc.get_objects() if type(obj) in kinds]:  # garbage too: still tracked
        try:
            if not file.closed:
                file.flush()
        except Exception:  # noqa: BLE001 - a closed pipe, a detached buffer: as the finalization would
            pass
    gc.collect()
    gc.freeze()


def _file_types() -> set[type]:
    """The classes of Python's file objects: every subclass of io's base, C and Python ones (a set: looked
    up for each of ~200 000 objects, faster than asking `isinstance` of io's ABC)."""
    found: set[type] = set()
    todo: list[type] = [io.IOBase, *io.IOBase.__bases__]  # the C base (_io._IOBase) holds FileIO, TextIOWrapper...
    while todo:
        kind = todo.pop()
        if kind not in found and kind is not object:
            found.add(kind)
            todo.extend(kind.__subclasses__())
    return found


if __name__ == "__main__":
    raise SystemExit(main())
