"""The exports the training commands end with (`fosp train --export-default`, `fosp train-export`): run one,
print what it wrote or map its failure to a message and an exit code, and check the weights file named."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from fosp_core.cli.exit_codes import ExitCode, fail

__all__ = ["export_run", "export_target_problem", "replaced_file_problem", "replaces_start_problem", "same_as_start",
           "written"]


def written(write: Callable[[], tuple[Path, Path]], what: str = "") -> ExitCode:
    """Run an export; print what it wrote, or map its failure to a message and an exit code."""
    from fosp_core.train.model_io import StartError
    from fosp_core.train.state import CheckpointSaveError, StateError

    try:
        written, card = write()
    except (FileNotFoundError, ValueError, StartError, StateError) as exc:
        return fail(str(exc), ExitCode.USAGE)
    except CheckpointSaveError as exc:
        return fail(str(exc), ExitCode.FAILED)
    print(f"wrote {written} and {card}{what}")
    same = same_as_start(card)
    if same:
        print(f"note: no validation beat the starting weights, so these are {same}'s own weights "
              "(the card says so too)")
    return ExitCode.OK


def same_as_start(card: Path) -> str:
    """The start's name when the card says the exported weights are the start's own, else ""."""
    try:
        found = json.loads(card.read_text())
        if found["weights"].get("same_as_start") is True:
            return str(found["data"]["started_from"]["name"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    return ""


def export_run(run_dir: Path, out: Path, notes: str, state: Path | None = None, weights: str = "auto") -> ExitCode:
    from fosp_core.train.export import export_default

    return written(lambda: export_default(run_dir, out, notes, state, weights))


def export_target_problem(out: Path, run: Path) -> str | None:
    """None when OUT names a file the model loaders read (`.safetensors`; they read `.pt` / `.pth`
    as pickles), else the error: OUT is a folder, or has another suffix."""
    from fosp_core.windows_names import destination_problem

    example = f"{run.resolve().name or 'model'}.safetensors"
    if (bad_name := destination_problem(out)) is not None:  # Windows: nul.safetensors, a ':' ...
        return f"{out}: {bad_name}"
    if out.is_dir():
        return f"{out} is a folder; name the weights file, e.g. {out / example}"
    if out.suffix != ".safetensors":
        return (f"{out}: the exported weights are safetensors; name the file with .safetensors "
                f"(e.g. {out.with_name(out.stem + '.safetensors')}), so that fosp predict and the app read it")
    return None


def replaces_start_problem(out: Path, init_from: str) -> str | None:
    """None unless OUT is the checkpoint the run starts from (``model.init_from``: the same file however spelled,
    a link to it too), which the export at the run's end would replace (a colleague's model, the only copy);
    else the error, said before the run."""
    if not init_from:
        return None
    start = Path(init_from).expanduser()
    try:
        same = out.exists() and start.exists() and os.path.samefile(out, start)
    except OSError:
        same = False
    if not same:
        return None
    other = out.with_name(f"{out.stem}-2{out.suffix}")
    return (f"{out} is the checkpoint this run starts from (model.init_from): the export at its end would replace "
            f"it; name another file (e.g. {other})")


def replaced_file_problem(out: Path, run: Path, overwrite: bool) -> str | None:
    """None unless OUT is a file there already that the export would replace and `overwrite` (--overwrite) was
    not given; else the error, said before anything is read or trained. The run's own earlier export (its card,
    beside it, names a file of `run`: an export again, a resumed run's end) is not asked about."""
    if overwrite or not (out.exists() or out.is_symlink()) or out.is_dir() or _exported_from(out, run):
        return None
    other = out.with_name(f"{out.stem}-2{out.suffix}")
    return (f"{out} is there already (not an export of this run): --overwrite replaces it, or name another file "
            f"(e.g. {other})")


def _exported_from(out: Path, run: Path) -> bool:
    """Whether the card beside OUT says its weights came from the run folder `run` (``weights.from``: its
    best.safetensors or last.pt; a soup's first run)."""
    try:
        source = json.loads(out.with_name(out.stem + ".card.json").read_text(encoding="utf-8"))["weights"]["from"]
    except (OSError, ValueError, KeyError, TypeError):
        source = None
    first = source[0] if isinstance(source, list) and source else source
    folder = Path(first).expanduser().parent if isinstance(first, str) and first else None
    same = False
    if folder is not None:
        try:
            same = folder.resolve() == run.expanduser().resolve() or os.path.samefile(folder, run)
        except OSError:  # not both there: not one folder
            same = False
    return same
