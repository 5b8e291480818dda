"""What a running `fosp train` reads: a marker file per run, so an export does not replace a dataset under it.

Exporting again with Replace (``fosp project export --overwrite``, the Export dialog's Replace) into the folder a
fine-tune trains on swaps the dataset under the run: images it listed vanish and its validation can fail ("no best
checkpoint (no validation)"). While it runs, `fosp train` keeps a small JSON marker (`reading_marker`) naming its
run, the dataset folders it reads (`read_folders`: every ``data.train`` / ``data.val`` source, resolved) and its
process (pid and start time, so a pid used again by another process is not taken for it); the exports read the
markers (`live_readings`) and refuse such a folder (`fosp_core.annotation.export_reading`).

The markers live in one folder of the user's cache, ``<cache>/reading/`` (`reading_dir`), not in the run folder
nor the dataset:

- the export cannot know a run's ``--runs-dir`` (or the app's runs folder), but it knows the cache;
- a run folder appears only once its run has started, with its config inside (`fosp_core.train.run_folder`),
  while the data is read before;
- the dataset may be read-only (a shared folder), a file there is one the export counts as the user's own (it
  then refuses the folder, wrongly said), and a Replace would delete it with the folder.

A marker is removed as its run ends; one left by a process killed outright names a dead pid and is ignored (and
removed by the next look). Writing one is best effort: a cache that cannot be written never stops a run. No Qt.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from fosp_core.paths import cache_dir

if TYPE_CHECKING:
    from fosp_core.train.config import Config

__all__ = ["RunReading", "live_readings", "read_folders", "reading_dir", "reading_marker", "write_marker"]

#: the markers' folder in the cache (`reading_dir`)
READING_DIR_NAME = "reading"


@dataclass(frozen=True)
class RunReading:
    """A running training: its run's `name`, `run_dir`, the dataset `folders` it reads (absolute), its process
    (`pid`, and `start`: the process's start as `fosp_core.annotation.storage.process_start` reads it, 0 when not
    known) and `in_app`: a fine-tune the app started and knows (Analysis ▸ Fine-tune on a Dataset…)."""

    name: str
    run_dir: Path
    folders: tuple[Path, ...]
    pid: int
    start: int = 0
    in_app: bool = False


def reading_dir() -> Path:
    """The markers' folder: ``<cache>/reading`` (`fosp_core.paths.cache_dir`: $FOSP_CACHE, ...)."""
    return cache_dir() / READING_DIR_NAME


def read_folders(cfg: Config) -> tuple[Path, ...]:
    """The dataset folders a run of `cfg` reads: each ``data.train`` and ``data.val`` source against ``data.root``
    (as `Config.data_path` puts them), each once; made absolute, links not followed: reads nothing (the app asks
    it on its GUI thread; `overlapping` resolves them)."""
    from fosp_core.train.config_paths import home_path

    root = home_path(cfg.data.root)
    folders: list[Path] = []
    for spec in [*cfg.data.train, *cfg.data.val]:
        path = home_path(spec.path)
        folder = Path(os.path.abspath(path if path.is_absolute() else root / path))
        if folder not in folders:
            folders.append(folder)
    return tuple(folders)


def write_marker(reading: RunReading, folder: Path | None = None) -> Path | None:
    """Write `reading`'s marker in `folder` (`reading_dir`), atomically; its path, or None where it could not be
    written (best effort: said by no one, the run goes on)."""
    from fosp_core.io.atomic import write_atomic

    folder = reading_dir() if folder is None else folder
    path = folder / f"{reading.pid}-{secrets.token_hex(4)}.json"
    data = {"name": reading.name, "run_dir": str(reading.run_dir), "folders": [str(f) for f in reading.folders],
            "pid": reading.pid, "start": reading.start}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(data, indent=1).encode())
    except OSError:
        return None
    return path


@contextlib.contextmanager
def reading_marker(cfg: Config) -> Iterator[Path | None]:
    """While the block runs (the training), this process's marker names what `cfg`'s run reads; removed after,
    however the block ends. Yields the marker's path (None: not written)."""
    from fosp_core.annotation.storage import process_start

    pid = os.getpid()
    reading = RunReading(cfg.name, cfg.run_dir(), read_folders(cfg), pid, process_start(pid))
    path = write_marker(reading)
    try:
        yield path
    finally:
        if path is not None:
            with contextlib.suppress(OSError):
                path.unlink()


def _parsed(path: Path) -> RunReading | None:
    """The marker at `path`, or None when it cannot be read or is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        folders = tuple(Path(f) for f in data["folders"] if isinstance(f, str) and f)
        pid, start = data["pid"], data.get("start", 0)
        if not isinstance(pid, int) or isinstance(pid, bool) or not isinstance(start, int):
            return None
        return RunReading(str(data.get("name", "")), Path(str(data.get("run_dir", ""))), folders, pid, start)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _alive(reading: RunReading) -> bool:
    """Whether the process that wrote `reading` still runs: its pid runs, and started when it did (where both are
    known: a pid used again by another process is not it)."""
    from fosp_core.annotation.storage import pid_alive, process_start

    if not pid_alive(reading.pid):
        return False
    return not reading.start or process_start(reading.pid) in (0, reading.start)


def live_readings(folder: Path | None = None) -> list[RunReading]:
    """The runs whose process still runs, from the markers in `folder` (`reading_dir`); a marker of a dead
    process is skipped and removed (best effort). Reads the disk: never on the GUI thread."""
    folder = reading_dir() if folder is None else folder
    try:
        paths = sorted(folder.glob("*.json"))
    except OSError:
        return []
    live: list[RunReading] = []
    for path in paths:
        reading = _parsed(path)
        if reading is None:
            continue
        if _alive(reading):
            live.append(reading)
        else:
            with contextlib.suppress(OSError):
                path.unlink()
    return live


def overlapping(dst: Path, readings: Iterable[RunReading]) -> RunReading | None:
    """The first of `readings` that reads `dst` or a folder in it (a Replace of `dst` would delete it), or None.
    Paths are compared resolved (links, ``..``): reads the disk, never on the GUI thread."""
    readings = list(readings)
    if not readings:  # nothing runs: `dst` not even resolved
        return None
    target = Path(os.path.realpath(dst))
    for reading in readings:
        for folder in reading.folders:
            read = Path(os.path.realpath(folder))
            if read == target or target in read.parents:
                return reading
    return None
