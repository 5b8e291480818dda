"""`fosp train`, `fosp train-inpainter`, `fosp train-export`: training from TOML recipes.

    fosp train CONFIG [key=value ...] [--resume | --resume-from STATE] [--export-default PATH [--overwrite]]
    fosp train-inpainter CONFIG [key=value ...] [--resume | --resume-from STATE]
    fosp train-export RUN OUT [--overwrite] [--runs-dir DIR] [--notes TEXT] [--state FILE --weights raw|average]
                                                                                            (train_export.py)

CONFIG is a file or a bundled recipe name (`paper`, `small-cpu`, `inpainter-small`); overrides
such as `train.iterations=200 data.crop=256 data.root=/data` are validated like the file. The same
command runs under `torchrun` for several GPUs / nodes (see docs/training.md).
Exit codes: 0 done, 1 training failed (state kept) or --export-default PATH a file there already without
--overwrite (said before the run; not for the run's own earlier export), 2 bad config / data / checkpoint, a
run name already taken without --resume or nothing to resume, 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from fosp_core.cli import output_file_problem
from fosp_core.cli.exit_codes import ExitCode, fail
from fosp_core.cli.train_written import (
    export_run,
    export_target_problem,
    replaced_file_problem,
    replaces_start_problem,
)
from fosp_core.paths import RUNS_DIR_WORDS

if TYPE_CHECKING:
    from fosp_core.train.config import Config

#: `fosp train --help`'s last words: the keys of a fine-tune on an export (the README's line).
FINETUNE_EPILOG = """\
fine-tune on an export (README: Fine-tuning on your labels, From the command line):
  fosp train small-cpu data.root=DIR 'data.train=[{path="my-export", split="train"}]'
      'data.val=[{path="my-export", split="val"}]' train.best_metric=fbeta
      model.init_from=resources/models/fosp-default.safetensors train.batch_size=4 data.crop=256
      optim.lr=1e-4 optim.warmup_iters=2 train.val_at_start=true name=my-finetune
      train.iterations=300 train.time_budget_s=120 --export-default my-model.safetensors
  train.time_budget_s=SECONDS  the whole command within this time, start-up (data, model) and
                               the final validation included: the run measures its pace and
                               sets its own length, <= train.iterations; a final validation
                               that cannot fit is shortened (train.val_max_images, said and
                               kept by --resume); the end says how long it took in all, and in what
  train.batch_size=N           at most the export's training images (the run warns)
  Ctrl+C saves the state; the same command with --resume continues it.
every key: docs/training.md (Keys)"""


def _options(p: argparse.ArgumentParser, defaults: bool = True, export_default: bool = True) -> None:
    """The options of `train` / `train-inpainter`; without defaults (None) for the re-parse of
    what follows CONFIG, so options may come before or after it, mixed with overrides. export_default
    False: --export-default left out of the help (`train-inpainter` refuses it, in words)."""

    def d(value: object) -> object:
        return value if defaults else None

    p.add_argument("--resume", action="store_true", default=d(False),
                   help="continue the run from <run>/last.pt (the run name comes from the config)")
    p.add_argument("--resume-from", type=Path, default=None, metavar="STATE",
                   help="continue from this state file or run folder instead")
    p.add_argument("--runs-dir", type=Path, default=None, metavar="DIR",
                   help=f"folder of run folders (default: the config's runs_dir, else {RUNS_DIR_WORDS})")
    p.add_argument("--quiet", action="store_true", default=d(False), help="no progress line")
    p.add_argument("--export-default", type=Path, default=None, metavar="PATH",
                   help="after training, write the best weights as fp16 safetensors + model card" if export_default
                   else argparse.SUPPRESS)
    p.add_argument("--overwrite", action="store_true", default=d(False),
                   help="with --export-default: replace PATH when a file is there already (not asked for this "
                        "run's own earlier export; never the run's start)" if export_default else argparse.SUPPRESS)


def _common(p: argparse.ArgumentParser, export_default: bool = True) -> None:
    _options(p, export_default=export_default)
    p.add_argument("config", metavar="CONFIG", help="recipe file (.toml) or bundled recipe name")
    rest = p.add_argument("rest", nargs=argparse.REMAINDER, metavar="KEY=VALUE",
                          help="config overrides, e.g. train.iterations=200 data.crop=256 name=my-run "
                               "(options may follow them)")
    rest.required = False  # argparse requires a REMAINDER: "required: CONFIG, KEY=VALUE" named the overrides


def _split_rest(args: argparse.Namespace) -> list[str]:
    """Parse what followed CONFIG: overrides plus any options; options found there win."""
    p = argparse.ArgumentParser(prog=f"fosp {args.command}", add_help=False,  # its errors show the command's usage
                                usage=_usage(args.command, args.command == "train"))
    _options(p, defaults=False)
    p.add_argument("overrides", nargs="*")
    extra = p.parse_intermixed_args(args.rest)
    for key, value in vars(extra).items():
        if key != "overrides" and value is not None:
            setattr(args, key, value)
    return list(extra.overrides)


def _usage(command: str, export_default: bool) -> str:
    """The usage line of `command`: argparse writes the overrides (the words after CONFIG, options among
    them) as "CONFIG ...", which names none."""
    export = " [--export-default PATH [--overwrite]]" if export_default else ""
    indent = " " * len(f"usage: fosp {command} ")
    return f"fosp {command} [-h] [--resume | --resume-from STATE] [--runs-dir DIR] [--quiet]{export}\n{indent}CONFIG [KEY=VALUE ...]"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `train`, `train-inpainter` and `train-export`."""
    from fosp_core.train.recipes import bundled_configs  # not .config: --help stays light

    names = ", ".join(bundled_configs())
    p = subparsers.add_parser(
        "train", help="train or fine-tune a FoSp model from a TOML recipe", usage=_usage("train", True),
        description=f"Train FoSp / SegFormer from a recipe (bundled: {names}).\nRun folders (checkpoints, "
                    "logs) live outside the project: <runs_dir>/<name>/.",
        epilog=FINETUNE_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    _common(p)
    p.set_defaults(func=run_train, task="segmentation")

    p = subparsers.add_parser(
        "train-inpainter", help="pre-train the Separation module's inpainter (masked reconstruction)",
        usage=_usage("train-inpainter", False), description="Masked reconstruction of smoke-free pixels with free-form and block holes; labelled "
                    "smoke is never a target. The best weights go to <run>/best.safetensors, which a FoSp "
                    "config loads (frozen) with model.inpainter=PATH.")
    _common(p, export_default=False)
    p.set_defaults(func=run_train, task="inpainter")

    from fosp_core.cli.train_export import add_export

    add_export(subparsers)


def tune_allocator(quiet: bool = False) -> None:
    """Keep freed memory in glibc's heap for the run (`fosp_core.train.allocator`); say so once."""
    from fosp_core.train.allocator import tune_for_training
    from fosp_core.train.distributed import from_env

    message = tune_for_training()
    if not quiet and from_env().is_main:
        print(message, flush=True)


def _not_exported(target: Path) -> str:
    """A stopped run's line for its --export-default `target`: the command line's way on, or the app's
    (`RESUME_HINT_ENV` set: the dialog gave the option, its user never typed it; a resume exports)."""
    from fosp_core.train.signals import RESUME_HINT_ENV, resume_hint

    if os.environ.get(RESUME_HINT_ENV, "").strip():
        return f"not exported yet: the run exports its weights to {target} when it ends; {resume_hint()} to finish it"
    return (f"not exported to {target} (--export-default): a run exports when it ends; "
            f"{resume_hint()} and --export-default {target} again")


def _reading(cfg: Config) -> contextlib.AbstractContextManager[object]:
    """The run's marker of the datasets it reads, while it trains (`fosp_core.train.run_reading`): the main
    process's only (one per run)."""
    from fosp_core.train.distributed import from_env
    from fosp_core.train.run_reading import reading_marker

    return reading_marker(cfg) if from_env().is_main else contextlib.nullcontext()


def run_train(args: argparse.Namespace) -> ExitCode:
    """`fosp train` / `fosp train-inpainter`."""
    from fosp_core.train.config import ConfigError, load_config
    from fosp_core.train.data import DataError
    from fosp_core.train.loop import RunFolderError, Trainer, TrainingError, stop_signals
    from fosp_core.train.model_io import StartError
    from fosp_core.train.signals import resume_hint
    from fosp_core.train.state import CheckpointSaveError, StateError

    overrides = _split_rest(args)
    if args.resume and args.resume_from is not None:  # as fosp train-ssl: one of them ([--resume | --resume-from])
        return fail("give --resume or --resume-from, not both", ExitCode.USAGE)
    if args.task == "inpainter" and args.export_default is not None:
        return fail("--export-default is for `fosp train` (segmentation runs)", ExitCode.USAGE)
    if args.overwrite and args.export_default is None:
        what = ("is for `fosp train --export-default PATH`" if args.task == "inpainter" else
                "goes with --export-default PATH")
        return fail(f"--overwrite {what} (it replaces PATH; a run folder is continued with --resume, never replaced)",
                    ExitCode.USAGE)
    resume: bool | Path = args.resume_from if args.resume_from is not None else bool(args.resume)
    if args.runs_dir is not None:
        overrides.append(f"runs_dir={json.dumps(str(args.runs_dir))}")
    if args.quiet:
        overrides.append("train.progress=false")
    try:
        cfg = load_config(args.config, overrides)
        if args.export_default is not None and (problem := export_target_problem(args.export_default,
                                                                                  Path(cfg.name))):
            return fail(f"--export-default {problem}", ExitCode.USAGE)  # before the run, not after it
        if args.export_default is not None and (problem := replaces_start_problem(args.export_default,
                                                                                   cfg.model.init_from)):
            return fail(f"--export-default {problem}", ExitCode.USAGE)  # a second round's start, kept
        if args.export_default is not None and (problem := replaced_file_problem(args.export_default, cfg.run_dir(),
                                                                                  args.overwrite)):
            return fail(f"--export-default {problem}", ExitCode.FAILED)  # as an export into a non-empty folder
        if args.export_default is not None and (problem := output_file_problem(
                args.export_default, f"--export-default {args.export_default}", "model.safetensors")):
            return fail(problem, ExitCode.USAGE)  # a folder that cannot be made or written: said before the run
        task = None
        if args.task == "inpainter":
            from fosp_core.train.inpainter import InpainterTask

            task = InpainterTask(cfg)
        tune_allocator(quiet=bool(args.quiet))
        with stop_signals(), _reading(cfg):  # an export refuses to replace the dataset while it is read
            from fosp_core.cli import STARTED_AT

            trainer = Trainer(cfg, resume=resume, task=task, started_at=STARTED_AT)
            try:
                result = trainer.run()
            except KeyboardInterrupt:
                if not trainer.interrupt_told:
                    raise  # `fosp` says "interrupted"
                if args.export_default is not None:  # asked for, not done: said, with the way on
                    print(_not_exported(args.export_default), file=sys.stderr)
                return ExitCode.INTERRUPTED  # the trainer said where its state was saved
    except (ConfigError, DataError, StartError, StateError, RunFolderError) as exc:
        return fail(str(exc), ExitCode.USAGE)
    except CheckpointSaveError as exc:  # no state saved yet: nothing to resume, the run starts again
        again = resume_hint() if (exc.path.parent / "last.pt").is_file() else "run it again"
        return fail(f"{exc}. {exc.advice(again)}.", ExitCode.FAILED)
    except TrainingError as exc:
        return fail(str(exc), ExitCode.FAILED)
    finally:
        from fosp_core.train.distributed import teardown

        teardown()
    if args.export_default is not None and result.run_dir.exists():
        from fosp_core.train.distributed import from_env

        if from_env().is_main:
            return export_run(result.run_dir, args.export_default, "")
    return ExitCode.OK
