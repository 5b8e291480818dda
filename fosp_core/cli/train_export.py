"""`fosp train-export RUN OUT`: a run's best weights (or a saved state's, or a soup of runs' final weights) as
fp16 safetensors with a model card. RUN is a run folder or a run's name, looked up in the runs folder
(``--runs-dir DIR``, as `fosp train` and `fosp train-ssl` take it; default: the user cache's)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from fosp_core.cli.exit_codes import ExitCode, fail
from fosp_core.cli.train_written import (
    export_run,
    export_target_problem,
    replaced_file_problem,
    replaces_start_problem,
    written,
)
from fosp_core.paths import RUNS_DIR_WORDS

__all__ = ["add_export", "run_export"]


def add_export(subparsers: argparse._SubParsersAction) -> None:
    """Add `train-export` to the `fosp` subcommands."""
    p = subparsers.add_parser(
        "train-export", help="write a run's best weights as fp16 safetensors + model card JSON",
        description="RUN is a run folder (or a run name under the runs folder).")
    p.add_argument("run", metavar="RUN", help="the run: its folder, or its name in the runs folder "
                                                f"(--runs-dir; default {RUNS_DIR_WORDS})")
    p.add_argument("out", type=Path, metavar="OUT", help="the weights file to write, its model card beside it "
                                                           "(.card.json), e.g. my-model.safetensors")
    p.add_argument("--runs-dir", type=Path, default=None, metavar="DIR",
                   help="folder of run folders a RUN given by its name is looked up in, as fosp train --runs-dir "
                        f"(default: {RUNS_DIR_WORDS})")
    p.add_argument("--overwrite", action="store_true",
                   help="replace OUT when a file is there already (not asked for this run's own earlier export; "
                        "never the run's start)")
    p.add_argument("--notes", default="", help="free text for the card (what the numbers mean, caveats)")
    p.add_argument("--state", type=Path, default=None, metavar="FILE",
                   help="export this saved training state's weights (e.g. a copy of last.pt taken at a validated "
                        "iteration) instead of the run's best")
    p.add_argument("--weights", choices=["auto", "raw", "average"], default="auto",
                   help="with --state or --soup: the raw weights or the weight average (auto: the average when "
                        "there is one; a soup defaults to the averages)")
    p.add_argument("--soup", action="append", default=[], metavar="RUN",
                   help="another run (repeatable): export the uniform average of RUN's and these runs' final "
                        "weights (each last.pt), fine-tunes of one start")
    p.add_argument("--validation", type=Path, default=None, metavar="JSON",
                   help="with --soup: the soup's measured scores for the card ({label: metrics}, as "
                        "bench/validate_checkpoint.py --json writes them)")
    p.set_defaults(func=run_export)


def _export_soup(runs: list[Path], args: argparse.Namespace) -> ExitCode:
    from fosp_core.train.export import export_soup

    if args.state is not None:
        return fail("--state and --soup do not go together (a soup takes each run's last.pt)", ExitCode.USAGE)
    validation = None
    if args.validation is not None:
        try:
            found = json.loads(args.validation.read_text())
        except (OSError, ValueError) as exc:
            return fail(f"{args.validation}: cannot read the scores ({exc})", ExitCode.USAGE)
        if not isinstance(found, dict) or len(found) != 1 or not isinstance(next(iter(found.values())), dict):
            return fail(f"{args.validation}: expected the scores of exactly one candidate, {{label: metrics}}",
                          ExitCode.USAGE)
        validation = next(iter(found.values()))
    weights = "average" if args.weights == "auto" else args.weights
    if (problem := replaced_file_problem(args.out, runs[0], args.overwrite)) is not None:
        return fail(problem, ExitCode.FAILED)  # as an export into a folder that is not empty
    return written(lambda: export_soup(runs, args.out, args.notes, weights, validation),
                    f" (uniform soup of {len(runs)} runs)")


def _run_not_found(name: str, runs: Path, given: bool, shown: int = 8) -> str:
    """The error for a RUN that is neither a folder nor a run's name in the runs folder: where it
    looked, the nearest name there and the runs there (the newest `shown`); `given`: the runs folder is
    --runs-dir's (else the default one, and how to name another)."""
    import difflib

    try:
        found = sorted((p for p in runs.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        found = []
    names = [p.name for p in found]
    text = f"no run {name} here nor in the runs folder {runs}"
    if close := difflib.get_close_matches(Path(name).name, names, n=1):
        text += f"; did you mean {close[0]}?"
    if names:
        more = f" and {len(names) - shown} more" if len(names) > shown else ""
        text += f" (runs there: {', '.join(sorted(names[:shown]))}{more})"
    return text + ("" if given else "; a run trained with --runs-dir: give its folder's path or --runs-dir DIR")


def _holds_run_files(folder: Path) -> bool:
    """Whether `folder` holds what `fosp train-export` exports from (best.safetensors or last.pt)."""
    return any((folder / name).is_file() for name in ("best.safetensors", "last.pt"))


def _resolve_run(name: str, runs: Path) -> Path:
    """The run folder `fosp train-export` reads for `name`: a path is itself; a bare name whose folder
    here holds no run's files is the run of that name in the runs folder (said on stderr), as
    `--checkpoint NAME` takes it (`default_model.checkpoint_file`); when both hold them the folder
    here, the run passed over said. FileNotFoundError when neither does, naming both places (once
    when the folder here is the run: the command runs in the runs folder). `runs`: the runs folder."""
    from fosp_core.cli.default_model import passed_over_note, run_of_name

    path = Path(name).expanduser()
    named = None if run_of_name(Path(name)) is None else runs / name
    if named is None or not named.is_dir():
        return path
    if not path.is_dir():
        return named
    same = os.path.samefile(path, named)
    if _holds_run_files(path):
        if not same and _holds_run_files(named):
            print(passed_over_note(Path(name), named, "run files"), file=sys.stderr)
        return path
    if same:
        raise FileNotFoundError(f"{name}: no best.safetensors or last.pt in the run {named}")
    if not _holds_run_files(named):  # neither: say both places looked
        raise FileNotFoundError(f"{name}: no best.safetensors or last.pt in the folder {path.absolute()} "
                                f"nor in the run {named}")
    print(f"{path.absolute()} is a folder without a run's files: using the run {name} ({named})", file=sys.stderr)
    return named


def _init_from(run: Path) -> str:
    """The checkpoint run `run` started from (its config.toml's model.init_from), "" when not known."""
    from fosp_core.train.config import load_config
    from fosp_core.train.config_schema import ConfigError

    try:
        return load_config(run / "config.toml").model.init_from if (run / "config.toml").is_file() else ""
    except (OSError, ConfigError, ValueError):
        return ""


def run_export(args: argparse.Namespace) -> ExitCode:
    """`fosp train-export RUN OUT`."""
    from fosp_core.paths import runs_dir

    runs = runs_dir() if args.runs_dir is None else args.runs_dir.expanduser()
    if args.runs_dir is not None and not runs.is_dir():
        what = "not a folder" if runs.exists() else "no such folder"
        return fail(f"--runs-dir {args.runs_dir}: {what}; name the folder of run folders (fosp train --runs-dir's)",
                    ExitCode.USAGE)
    try:  # every run, the soup's too, before any is read
        run, *soup = (_resolve_run(name, runs) for name in (args.run, *args.soup))
    except FileNotFoundError as exc:
        return fail(str(exc), ExitCode.USAGE)
    for name, folder in zip((args.run, *args.soup), (run, *soup), strict=True):
        if not folder.exists():
            return fail(_run_not_found(name, runs, args.runs_dir is not None), ExitCode.USAGE)
    for name, folder in zip((args.run, *args.soup), (run, *soup), strict=True):  # last.pt, weights: "no best..."
        if folder.is_file():
            return fail(f"{name}: is a file, not a run folder (the folder holding best.safetensors or last.pt); a saved "
                        "training state is exported with --state FILE after its run's folder", ExitCode.USAGE)
    problem = export_target_problem(args.out, run) or replaces_start_problem(args.out, _init_from(run))
    if problem is not None:
        return fail(problem, ExitCode.USAGE)
    if args.soup:
        return _export_soup([run, *soup], args)
    if args.validation is not None:
        return fail("--validation goes with --soup (a run's own validations go on its card)", ExitCode.USAGE)
    if args.weights != "auto" and args.state is None:
        return fail("--weights goes with --state (the run's best weights are exported as they were kept)",
                      ExitCode.USAGE)
    if (problem := replaced_file_problem(args.out, run, args.overwrite)) is not None:
        return fail(problem, ExitCode.FAILED)  # as an export into a folder that is not empty
    return export_run(run, args.out, args.notes, args.state, args.weights)
