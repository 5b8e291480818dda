"""Run on all in GUI tests: its plan is made on a worker (`app.analysis.run_all_planning`), so
``ctl.run_all()`` returns before the run starts; :func:`run_all` waits for the plan's signal and gives
the run's request id (None: nothing ran), as ``ctl.run_all()`` returned it when it planned on the GUI
thread."""

from __future__ import annotations

__all__ = ["run_all"]

WAIT_MS = 20000


def run_all(qtbot, ctl, timeout: int = WAIT_MS) -> int | None:  # noqa: ANN001
    """Ask Run on all of analysis controller `ctl` and wait for its plan (``planning.planned``): the
    request id of the run it started, or None when nothing ran. A Run on all that waits for a model or
    a video is planned when that is over: this waits for it too (within `timeout` ms)."""
    with qtbot.waitSignal(ctl.planning.planned, timeout=timeout) as blocker:
        ctl.run_all()
    return blocker.args[0]
