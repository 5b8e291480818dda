"""`fosp train-ssl`: self-supervised (masked-image modelling) pre-training of the MiT encoder.

    fosp train-ssl [--data-root DIR] [--iterations N] [--batch B] [--crop PX] [--lr LR] [--threads T]
                   [--name NAME] [--runs-dir DIR] [--resume | --resume-from STATE] ...

Writes ``<runs_dir>/<name>/backbone.safetensors`` (at every save and at the end), which a segmentation
run starts from with ``fosp train CONFIG model.pretrained_backbone=<that file>``. With ``--resume``
the run's saved settings are kept and only the options given again change.
Exit codes: 0 done, 1 training failed (state kept), 2 bad settings / data / state, 130 interrupted
(state saved).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from fosp_core.cli.exit_codes import ExitCode, fail
from fosp_core.paths import RUNS_DIR_WORDS

# option dest -> SSLConfig field (options left out keep the default, or the resumed run's value)
_FIELDS = {
    "name": "name", "runs_dir": "runs_dir", "backbone": "backbone", "data_root": "data_root",
    "smoke5k": "smoke5k", "smokeseg": "smokeseg", "videos": "videos", "extra": "extra",
    "frame_step": "frame_step", "synthetic_weight": "synthetic_weight", "crop": "crop",
    "mask_ratio": "mask_ratio", "mask_block": "mask_block", "iterations": "iterations", "batch": "batch_size",
    "lr": "lr", "weight_decay": "weight_decay", "warmup": "warmup_iters", "seed": "seed", "device": "device",
    "threads": "threads", "workers": "workers", "log_every": "log_every", "save_every": "save_every",
    "probe_size": "probe_size", "drop_path": "drop_path_rate",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `train-ssl`."""
    p = subparsers.add_parser(
        "train-ssl", help="pre-train the MiT encoder without labels (masked-image modelling)",
        description="SimMIM-style pre-training on every image at hand: SMOKE5K training images (its scene-val "
                    "and scene-buffer images excluded) and synthetic images, SmokeSeg train, frames of the "
                    "videos, extra folders. Run folders live in <runs_dir>/<name>/; the encoder goes to "
                    "backbone.safetensors, for `fosp train CONFIG model.pretrained_backbone=PATH`.")
    add = p.add_argument
    add("--name", help="run name (default ssl-<backbone>)")
    add("--runs-dir", metavar="DIR", help=f"folder of run folders (default {RUNS_DIR_WORDS})")
    add("--resume", action="store_true", help="continue the run from <run>/last.pt with its saved settings")
    add("--resume-from", type=Path, metavar="STATE", help="continue from this state file or run folder")
    add("--quiet", action="store_true", help="no progress line")
    g = p.add_argument_group("data (paths relative to --data-root; '' leaves a source out)")
    g.add_argument("--data-root", metavar="DIR", help="default ../shared/data")
    g.add_argument("--smoke5k", metavar="DIR", help="SMOKE5K training folder (default smoke5k-train)")
    g.add_argument("--smokeseg", metavar="DIR", help="SmokeSeg folder, train split used (default smokeseg-samples)")
    g.add_argument("--videos", metavar="DIR", help="folder of videos (default videos)")
    g.add_argument("--extra", action="append", metavar="DIR", help="another image folder (repeatable)")
    g.add_argument("--frame-step", type=int, metavar="N", help="use every Nth video frame (default 6)")
    g.add_argument("--synthetic-weight", type=float, metavar="W",
                   help="draw rate of a synthetic SMOKE5K image relative to a real one (default 0.25)")
    t = p.add_argument_group("training")
    t.add_argument("--backbone", metavar="NAME", help="mit_b0 (fosp-s, default) ... mit_b5")
    t.add_argument("--iterations", type=int, metavar="N", help="total iterations (default 5000)")
    t.add_argument("--batch", type=int, metavar="N", help="crops per iteration (default 8)")
    t.add_argument("--crop", type=int, metavar="PX", help="crop size in pixels, a multiple of 32 (default 192)")
    t.add_argument("--mask-ratio", type=float, metavar="SHARE", help="share of each crop hidden (default 0.6)")
    t.add_argument("--mask-block", type=int, metavar="PX", help="side of the hidden square blocks (default 32)")
    t.add_argument("--lr", type=float, help="peak AdamW learning rate (default 5e-4)")
    t.add_argument("--weight-decay", type=float, metavar="WD", help="AdamW weight decay (default 0.05)")
    t.add_argument("--warmup", type=int, metavar="N", help="linear warm-up iterations (default 100)")
    t.add_argument("--drop-path", type=float, metavar="P", help="stochastic depth of the encoder (default 0.1)")
    t.add_argument("--seed", type=int, metavar="N", help="random seed (default 0)")
    t.add_argument("--device", help="cpu (default), cuda, auto")
    t.add_argument("--threads", type=int, metavar="N", help="torch CPU threads (default 2; 0 = torch's choice)")
    t.add_argument("--workers", type=int, metavar="N", help="data-loading processes (default 1)")
    t.add_argument("--log-every", type=int, metavar="N", help="iterations between log records (default 10)")
    t.add_argument("--save-every", type=int, metavar="N", help="iterations between state + backbone saves (default 100)")
    t.add_argument("--probe-size", type=int, metavar="N", help="fixed crops measured at every save (default 16; 0 = off)")
    p.set_defaults(func=run_train_ssl)


def options_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """The settings given on the command line (SSLConfig field -> value); unset options are left out."""
    out = {field: getattr(args, dest) for dest, field in _FIELDS.items() if getattr(args, dest, None) is not None}
    if args.quiet:
        out["progress"] = False
    return out


def run_train_ssl(args: argparse.Namespace) -> ExitCode:
    """`fosp train-ssl`."""
    from fosp_core.cli.train import tune_allocator
    from fosp_core.train.loop import stop_signals
    from fosp_core.train.ssl import SSLRunFolderError, SSLTrainer, SSLTrainingError, resume_config
    from fosp_core.train.ssl_config import SSLConfigError
    from fosp_core.train.ssl_data import SSLDataError
    from fosp_core.train.state import CheckpointSaveError, StateError

    if args.resume and args.resume_from is not None:
        return fail("give --resume or --resume-from, not both", ExitCode.USAGE)
    resume: bool | Path = args.resume_from if args.resume_from is not None else bool(args.resume)
    from fosp_core.windows_names import destination_problem, run_name_problem

    if args.runs_dir is not None and (problem := destination_problem(args.runs_dir)) is not None:  # Windows only
        return fail(f"--runs-dir {args.runs_dir}: {problem}", ExitCode.USAGE)
    if args.name is not None and (problem := run_name_problem(args.name)) is not None:  # as fosp train's name=
        return fail(f"--name {args.name!r}: {problem}; a run's folder must open on Windows too (runs are copied "
                    "between machines): choose another name", ExitCode.USAGE)
    try:
        cfg, state = resume_config(resume, options_from_args(args))
        tune_allocator()
        with stop_signals():
            result = SSLTrainer(cfg, resume=state).run()
    except SSLConfigError as exc:
        return fail(_as_typed(str(exc), args), ExitCode.USAGE)
    except (SSLDataError, StateError, SSLRunFolderError) as exc:
        return fail(str(exc), ExitCode.USAGE)
    except CheckpointSaveError as exc:  # no state saved yet: nothing to resume, the run starts again
        again = "continue with --resume" if (exc.path.parent / "last.pt").is_file() else "run it again"
        return fail(f"{exc}. {exc.advice(again)}.", ExitCode.FAILED)
    except SSLTrainingError as exc:
        return fail(str(exc), ExitCode.FAILED)
    print(f"pre-trained backbone: {result.backbone}\n"
          f"use it with: fosp train small-cpu model.pretrained_backbone={result.backbone}")
    return ExitCode.OK


def _as_typed(text: str, args: argparse.Namespace) -> str:
    """An SSLConfigError's "crop = 100: must be ..." as the command line typed it, "--crop 100: must be ...",
    when the setting came from its flag (a resumed run's saved settings are said by their names)."""
    for dest, field in _FIELDS.items():
        value = getattr(args, dest, None)
        if value is not None and text.startswith(f"{field} = "):
            return f"--{dest.replace('_', '-')} {value}: {text.partition(': ')[2]}"
    return text
