"""An export refused because a running fine-tune reads its destination: `reading_problem`.

Replacing the dataset a fine-tune trains on changes it under the run (its images vanish mid-run, its validation
can fail). The runs are the app's own (`in_app`: the Export dialog asks `app.training.running`) and those whose
`fosp train` process left a marker (`fosp_core.train.run_reading.live_readings`: the CLI's, and the app's once its
process has started). One source of the words for the Export dialog and ``fosp project export``. No Qt here.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from fosp_core.train.run_reading import RunReading, live_readings, overlapping

__all__ = ["reading_problem", "reading_words"]


def reading_words(reading: RunReading) -> str:
    """Why a destination `reading` reads is refused (after ``{dst}: ``), naming the run and what to do."""
    name = f"\u201c{reading.name}\u201d" if reading.name else "a fine-tune"
    who = (f"the fine-tune {name} running in this app (Analysis \u25b8 Fine-tune on a Dataset\u2026)" if reading.in_app
           else f"the fine-tune {name} (fosp train, process {reading.pid})")
    return (f"{who} is training on this dataset: replacing it now would change its images under the run; "
            "wait for the run to end (or stop it), or export to another folder")


def reading_problem(dst: Path, app_runs: Iterable[RunReading] = (), markers: Path | None = None) -> str | None:
    """Why `dst` must not be exported to now, or None: a running fine-tune reads it or a folder in it. `app_runs`:
    the app's own running fine-tunes (said as the app's, before the markers' runs: the marker of the app's run names
    its process); `markers`: the markers' folder (`fosp_core.train.run_reading.reading_dir` by default). Reads the
    disk: never on the GUI thread."""
    app_runs = list(app_runs)
    reading = overlapping(dst, app_runs)
    if reading is None:
        app_pids = {run.pid for run in app_runs}
        reading = overlapping(dst, [r for r in live_readings(markers) if r.pid not in app_pids])
    return None if reading is None else reading_words(reading)
