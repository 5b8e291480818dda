"""The app's fine-tunes running now, for the Export dialog (`app.annotation.export_checks`): it refuses to replace
the dataset one of them trains on (`fosp_core.annotation.export_reading`). Each `TrainingProcess` says here when
its run starts and ends (`started`, `ended`); `app_readings` is asked on the GUI thread and reads no disk: the
export's check, off that thread, resolves the folders. The run's own marker (`fosp_core.train.run_reading`) comes
only once its process has imported what it needs; the app knows its run from its Start.
"""

from __future__ import annotations

import weakref
from typing import Protocol

from fosp_core.train.finetune import FineTunePlan
from fosp_core.train.run_reading import RunReading, read_folders

__all__ = ["app_readings", "ended", "started"]


class _Run(Protocol):
    plan: FineTunePlan | None

    def running(self) -> bool: ...
    def pid(self) -> int: ...


#: the app's training processes whose run has started and not ended (`started` / `ended`)
_RUNS: weakref.WeakSet[_Run] = weakref.WeakSet()


def started(run: _Run) -> None:
    """`run`'s process was started (GUI thread)."""
    _RUNS.add(run)


def ended(run: _Run) -> None:
    """`run`'s process ended, or failed to start (GUI thread)."""
    _RUNS.discard(run)


def app_readings() -> list[RunReading]:
    """What the app's running fine-tunes read (`in_app`), named by their run; on the GUI thread, no disk read."""
    readings = []
    for run in list(_RUNS):
        plan = run.plan
        if plan is not None and run.running():
            readings.append(RunReading(plan.config.name, plan.run_dir, read_folders(plan.config), run.pid(),
                                       in_app=True))
    return readings
