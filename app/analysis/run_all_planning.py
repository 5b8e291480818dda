"""Run on all's plan made off the GUI thread: which open images run is a ``stat`` of each image's label
file and, after a reopening, a look at each image's saved summary and its label file
(:func:`app.analysis.run_plan.find`): 17-24 ms of CPU for 1053 photos on a local disk, seconds on a
network drive or over 10 000 images - a frozen window, made on the GUI thread.

:class:`RunAllPlanning` runs that part on a worker thread of its own (:class:`~app.analysis.worker_lane.WorkerLane`,
its answer queued back through a :class:`~app.relay.Relay`); the GUI thread takes the plan's in-memory
part before (:meth:`~app.analysis.run_plan.RunPlanner.ask`) and after
(:meth:`~app.analysis.run_plan.RunPlanner.finish`), and :mod:`app.analysis.runs` starts the run when the
plan arrives. One plan is wanted at a time: a second Run on all, a Cancel, a model or folder changed
meanwhile drop the one under way (its answer, come late, is not used).

Signal: ``planned(object)``, once for each plan that ends: the request id of the run it started, or
None (nothing to run, dropped for a model or folder changed, cancelled, failed). A plan superseded by
another Run on all says nothing: the new one tells.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QObject, Signal

from app.analysis.run_plan import PlanAsk, PlanFound, find
from app.analysis.worker_lane import WorkerLane
from app.relay import Relay

__all__ = ["PLANNING_TEXT", "RunAllPlanning", "planning_text"]

#: how the panel's status line begins while Run on all plans
PLANNING_TEXT = "Planning…"


def planning_text(images: int) -> str:
    """The panel's line while Run on all plans over `images` images without a result."""
    return f"{PLANNING_TEXT} Run on All Images looks at the labels and saved summaries of {images} " \
           f"image{'s' if images != 1 else ''}"


class _PlanRelay(Relay):
    found = Signal(int, object)  # (token, PlanFound), from the planning thread


class RunAllPlanning(QObject):
    """See the module doc. `arrived(ask, found)`: on the GUI thread, the plan's answer still wanted."""

    planned = Signal(object)

    def __init__(self, parent: QObject, arrived: Callable[[PlanAsk, PlanFound], None]) -> None:
        super().__init__(parent)
        self.lane = WorkerLane("fosp-run-all-plan")
        self._arrived = arrived
        self._relay = _PlanRelay()  # no parent: the thread may still hold it when this is deleted
        self._relay.found.connect(self._on_found)  # queued: emitted on the planning thread
        self.asked: PlanAsk | None = None  # the plan under way

    @property
    def pending(self) -> bool:
        """Whether a plan is under way (asked, not arrived, not dropped)."""
        return self.asked is not None

    def start(self, ask: PlanAsk) -> None:
        """Plan `ask` on the worker (a plan under way is dropped: this one is wanted)."""
        self.lane.current += 1
        self.asked = ask
        if not self.lane.submit(self.lane.current, partial(find, ask), self._relay.found.emit):
            self.asked = None  # closed: the window closes

    def drop(self) -> PlanAsk | None:
        """Drop the plan under way (its answer is not used); returns its ask, or None when none was."""
        ask, self.asked = self.asked, None
        self.lane.current += 1
        return ask

    def _on_found(self, token: int, found: object) -> None:
        if token != self.lane.current or self.asked is None or not isinstance(found, PlanFound):
            return  # dropped meanwhile
        ask, self.asked = self.asked, None
        self._arrived(ask, found)

    def close(self) -> None:
        """The window closes: the plan under way tells no one."""
        self.asked = None
        self.lane.close()
