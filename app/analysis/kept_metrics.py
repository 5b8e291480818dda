"""The folder metrics of a reopened folder, at once: the scores kept in the images' saved summaries.

Run on all keeps the scores of each result in its image's worklist summary (`app.annotation.kept_scores`).
Before, a reopened session gave them back only when Run on all planned (the images it left out): until
the user pressed it, the metrics box covered the one image shown, which the view runs again. Now
:class:`KeptMetrics` looks, as soon as a model is ready and images are open (and again when images open,
another model loads, or τ, the threshold or the rule change), at the summaries of the open images not
scored here yet: the same question Run on all's plan asks (`RunPlanner.summarised`, the window's hook:
only summaries of this model at these settings, whose scores are of this run and against the label
file as it is now), on a worker thread of its own (a ``stat`` of each summarised image's label, each
folder resolved once: seconds over a network drive). The answer, still wanted, goes where the plan's
kept scores go (`RunPlanner.kept`: the score book, then the metrics box), less the images scored here
meanwhile; the metrics note says how many are kept from an earlier run (`readouts.metrics_note`).

Nothing runs the model here, and Run on all still leaves those images out (their scores are known). No
look starts, and none's answer is taken, while a Run on all plans or runs (a Run on All Again has just
forgotten the kept scores: taken back meanwhile, they would leave its images out, or stand for the
scores it makes); it looks once that run is over.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from app.analysis.worker_lane import WorkerLane
from app.relay import Relay
from fosp_core.analysis.results import ResultKey, tau_key

if TYPE_CHECKING:
    from app.analysis.controller import AnalysisController
    from app.analysis.run_plan import Kept, SummarisedPass

__all__ = ["LOOK_DELAY_MS", "KeptMetrics"]

#: how long after the last change (images opened, a model loaded, a setting moved) the look starts (ms):
#: a folder opening and its model loading look once
LOOK_DELAY_MS = 150

#: what a look is for: (model id, τ, threshold, rule, the session's paths object)
_Asked = tuple[str, float | None, float, str, object]


class _KeptRelay(Relay):
    found = Signal(int, object)  # (token, [Kept] or None: the look failed), from the look's thread


def _look(ask: SummarisedPass, paths: list[Path]) -> list[Kept] | None:
    """On the look's thread: the kept scores of `paths` (None: the look failed; nothing is said, Run on
    all looks again and tells)."""
    try:
        return ask(paths)[1]
    except Exception:  # noqa: BLE001 - the metrics stay as they are
        return None


class KeptMetrics(QObject):
    """See the module doc; `analysis`: the view whose planner's hooks it uses and whose metrics it fills."""

    def __init__(self, analysis: AnalysisController) -> None:
        super().__init__(analysis)
        self.analysis = analysis
        self.lane = WorkerLane("fosp-kept-scores")
        self._relay = _KeptRelay()  # no parent: the thread may still hold it when this is deleted
        self._relay.found.connect(self._on_found)
        self._asked: _Asked | None = None
        self._deferred = False  # a look was wanted while a Run on all planned or ran: it looks when it ends
        self.timer = QTimer(self, singleShot=True, interval=LOOK_DELAY_MS, timeout=self.look)
        analysis.model_changed.connect(self.timer.start)
        analysis.session.events.entries_changed.connect(self.timer.start)
        analysis.settings.events.changed.connect(
            lambda name: name in ("threshold", "keep", "tau") and self.timer.start())
        analysis.worker.done.connect(self._run_ended)
        analysis.planning.planned.connect(self._run_ended)

    def _run_ended(self, *_args: object) -> None:
        if self._deferred:  # the look asks again whether a Run on all is still under way
            self._deferred = False
            self.timer.start()

    def _run_all_busy(self) -> bool:
        """Whether a Run on all plans or runs (its request still outstanding)."""
        analysis = self.analysis
        request = analysis.planner.all_request
        return analysis.planning.pending or (request is not None and request in analysis._runs)

    def _now(self) -> _Asked | None:
        model, s = self.analysis.model, self.analysis.settings
        if model is None:
            return None
        return model.model_id, tau_key(s.tau), float(s.threshold), s.keep, self.analysis.session.paths

    def look(self) -> bool:
        """Look at the saved summaries of the open images the score book has nothing of (on the worker);
        False when there is nothing to look at (no model, no hook, every image scored)."""
        analysis = self.analysis
        planner, asked = analysis.planner, self._now()
        if asked is None or planner.summarised is None or planner.kept is None or analysis.standby.waits():
            return False
        if self._run_all_busy():
            self._deferred = True
            return False
        ask = planner.summarised(asked[0])
        book = analysis.scores.book
        paths = [p for p in asked[4] if not book.was_run(ResultKey(p, asked[0], asked[1]))]  # type: ignore[union-attr]
        if ask is None or not paths:
            return False
        self.lane.current += 1
        self._asked = asked
        return self.lane.submit(self.lane.current, partial(_look, ask, paths), self._relay.found.emit)

    def _on_found(self, token: int, kept: object) -> None:
        if token != self.lane.current:
            return  # a later look is under way
        asked, self._asked = self._asked, None
        analysis = self.analysis
        if asked is None or asked != self._now() or not isinstance(kept, list):
            return  # another look is wanted (its change started the timer), or it failed
        if self._run_all_busy():  # a Run on all started meanwhile: looked at again when it is over
            self._deferred = True
            return
        _model, _tau, threshold, keep, _paths = asked
        book = analysis.scores.book
        new = [one for one in kept if not book.covers(one[0], one[1], threshold, keep)]  # scored here meanwhile
        if new and analysis.planner.kept is not None:
            analysis.planner.kept(new)

    def close(self) -> None:
        """The window closes: a look under way tells no one."""
        self.timer.stop()
        self.lane.close()
