"""A run folder appears only once its run has started, with its `config.toml` already inside.

`Trainer.run` (and `SSLTrainer.run`) opens the run's data (the constructor built the model and
read any checkpoint) before it calls `open_run_folder`, so a start that fails (bad data root, missing dataset,
unreadable checkpoint) writes nothing. A new folder is built under a hidden temporary name beside
its final place and renamed there in one step: the runs folder never shows a run folder without
its config, not even after a crash in between. An existing folder (a resumed run, or one the user
made) only has its `config.toml` replaced, atomically; nothing in it is ever removed.
"""

from __future__ import annotations

from pathlib import Path

from fosp_core.folder_in_the_way import in_the_way_words
from fosp_core.io.atomic import create_folder
from fosp_core.train.state import atomic_write_text

__all__ = ["CONFIG_FILE", "open_run_folder", "unwritable_words"]

CONFIG_FILE = "config.toml"


def open_run_folder(run_dir: Path, config_text: str, config_file: str = CONFIG_FILE) -> None:
    """Write `<run_dir>/<config_file>` (`fosp train-ssl`: config.json), creating `run_dir` with it
    atomically when it is new.

    Raises OSError (or `CheckpointSaveError`, an OSError) when the runs folder cannot be written;
    then no run folder and no temporary folder are left behind.
    """
    if run_dir.is_dir():
        atomic_write_text(run_dir / config_file, config_text)
        return
    run_dir.parent.mkdir(parents=True, exist_ok=True)
    if not create_folder(run_dir, lambda staging: atomic_write_text(staging / config_file, config_text),
                         tag="starting"):
        # another process made the folder meanwhile: write into it like into any existing folder
        atomic_write_text(run_dir / config_file, config_text)


def unwritable_words(run_dir: Path, exc: OSError) -> str:
    """The error of a run folder `open_run_folder` could not make: the file in the way named (mkdir said
    "[Errno 17] File exists: 'runs'" of a --runs-dir naming a file), else the OS's reason."""
    reason = in_the_way_words(run_dir) or str(exc)
    return f"cannot write the run folder {run_dir}: {reason} (--runs-dir picks another folder of runs); nothing was trained"
