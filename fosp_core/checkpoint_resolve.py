"""Which checkpoint a user means (a file, a run folder, a run's name) and the default model's file:
shared by the library (`fosp_core.infer.api`) and the `fosp` commands (`fosp_core.cli.default_model`
re-exports these names), so the library never imports the command line.

The checkpoint a `fosp` command runs when none is given: the bundled default model, the first
``fosp-default.safetensors`` on the model search path (`fosp_core.paths.find_model`: $FOSP_MODELS,
the user's cache, the app's resources). `fosp predict` and `fosp eval` both take it from here, so
they run the same model and say the same when there is none.

What a given ``--checkpoint`` means is decided here too (`checkpoint_file`): a file, a run folder's
weights, or a bare name that is no path: the run of that name in the runs folder (as
`fosp train-export NAME OUT` takes it). A folder `./NAME` that holds no checkpoint (a dataset or an
export named as the run) does not shadow the run `NAME`: the run is tried after it, and when
neither holds weights the error names both places. When both hold weights the folder here is used
and the note names the run passed over (`passed_over_note`)."""

from __future__ import annotations

import os
from pathlib import Path

from fosp_core import paths

__all__ = ["NoDefaultModelError", "checkpoint_file", "default_checkpoint", "passed_over_note", "run_of_name"]


class NoDefaultModelError(LookupError):
    """No default model on the model search path; the message says where it looked."""


def default_checkpoint(how: str = "pass --checkpoint FILE") -> Path:
    """The default model's file (what `--checkpoint` defaults to); NoDefaultModelError naming the
    folders searched and `how` to give one instead (the command's flag; the library says its own)."""
    found = paths.find_model()
    if found is None:
        raise NoDefaultModelError(
            f"no default model found (looked for {paths.DEFAULT_MODEL_FILE} in "
            f"{', '.join(str(p) for p in paths.model_search_path())}); {how}")
    return found


def run_of_name(given: Path) -> Path | None:
    """The run folder a bare name means (`<runs>/NAME`), or None: `given` has a folder part, is
    absolute, or is a link (a link whose target is gone is the user's path, and its words are due)."""
    if len(given.parts) != 1 or given.is_absolute() or os.path.islink(given) or given.name in ("", ".", ".."):
        return None
    return paths.runs_dir() / given


def checkpoint_file(given: str | Path) -> tuple[Path, str]:
    """(the checkpoint file `given` means, a note for the user, "" for none): a file is itself, a
    folder its run weights (`checkpoint.resolve_checkpoint`), a bare name that is no checkpoint here
    the run of that name in the runs folder. `CheckpointError` saying where it looked: the path and,
    for a bare name, the run folder too."""
    from fosp_core.checkpoint import CheckpointError, resolve_checkpoint
    from fosp_core.io.links import dead_link_reason

    given = Path(given)
    run = run_of_name(given)
    if not os.path.lexists(given):
        if run is None or not run.is_dir():
            dead = dead_link_reason(given)  # a link loop or a broken link: say so
            where = f"; nor is it a run in the runs folder {run.parent}" if run is not None else ""
            raise CheckpointError(f"{given}: {dead}" if dead else f"{given}: checkpoint file not found{where}")
        return resolve_checkpoint(run)
    try:
        found, note = resolve_checkpoint(given)
    except CheckpointError as here:
        if run is None or not given.is_dir() or (run.is_dir() and os.path.samefile(given, run)):
            raise  # a path, or the run folder itself (a command run in the runs folder)
        if not run.is_dir():
            raise CheckpointError(f"{here}; nor is {given} a run in the runs folder {run.parent}") from here
        try:
            found, _note = resolve_checkpoint(run)
        except CheckpointError as there:
            raise CheckpointError(f"{given}: no checkpoint in the folder {given.absolute()} nor in the run "
                                  f"{run}: {here}; {there}") from there
        return found, (f"{given.absolute()} is a folder without a run's weights: using the run {given} "
                       f"({run}), its {found.name}")
    if run is not None and given.is_dir() and run.is_dir() and not os.path.samefile(given, run):
        try:
            resolve_checkpoint(run)
        except CheckpointError:
            return found, note  # the run of that name holds no weights: nothing passed over
        return found, passed_over_note(given, run, found.name)
    return found, note


def passed_over_note(given: Path, run: Path, used: str) -> str:
    """The note for a bare name whose folder here was used (its file `used`) while the run of that
    name (`run`, in the runs folder) holds weights too: the path wins, and the words say which and
    how to pick the run."""
    return (f"{given.absolute()} is a folder here: using its {used}, not the run {given} in the runs folder "
            f"({run}), which has its own; give {run} for the run")
