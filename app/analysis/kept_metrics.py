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
meanwhile, `TAKE_AT_ONCE` at a time in turns of their own (recording 20 000 took 0.2-0.6 s: one turn
each would freeze the window), the metrics updated once after the last; the metrics note says how many
are kept from an earlier run (`readouts.metrics_note`). Which images the book has nothing of is also
worked out on the worker (a copy of the few the book holds goes with the session's paths).

Nothing runs the model here, and Run on all still leaves those images out (their scores are known). No
look starts, and none's answer is taken, while a Run on all waits for a model to load, plans or runs (a
Run on All Again has just forgotten the kept scores: taken back meanwhile, they would leave its images
out, or stand for the scores it makes; chosen while the model loads, it waits as `RunPlanner.after_load`
and the reopening's look, answered then, gave them all back before its plan); it looks once that run is
over.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from app.analysis.worker_lane import WorkerLane
from app.relay import Relay
from fosp_core.analysis.results import tau_key

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from app.analysis.inference_worker import InferenceWorker, LoadedModel
    from app.analysis.readouts import ScoreReadout
    from app.analysis.run_all_planning import RunAllPlanning
    from app.analysis.run_plan import Kept, RunPlanner, SummarisedPass
    from app.analysis.standby import VideoStandby
    from fosp_core.analysis.settings import AnalysisSettings
    from fosp_core.session import ImageSession

__all__ = ["LOOK_DELAY_MS", "TAKE_AT_ONCE", "KeptMetrics"]

#: how long after the last change (images opened, a model loaded, a setting moved) the look starts (ms):
#: a folder opening and its model loading look once
LOOK_DELAY_MS = 150

#: how many kept scores one GUI turn records (~30 µs each on a loaded 2-CPU machine)
TAKE_AT_ONCE = 1000

#: what a look is for: (model id, τ, threshold, rule, the session's paths object); the id names the weights
#: (`app.analysis.model_ids`: a copy of the checkpoint is the same model), device, precision and network input the model runs at ("|512", not "default": `inference_worker.id_input`),
#: as the stamps of the summaries looked at do (`ModelStamp.precision`, `.input`)
_Asked = tuple[str, float | None, float, str, object]


class _KeptRelay(Relay):
    found = Signal(int, object)  # (token, [Kept] or None: the look failed), from the look's thread


def _look(ask: SummarisedPass, paths: tuple[Path, ...], ran: frozenset[Path]) -> list[Kept] | None:
    """On the look's thread: the kept scores of those of `paths` not in `ran` (None: the look failed;
    nothing is said, Run on all looks again and tells)."""
    try:
        todo = [p for p in paths if p not in ran]
        return ask(todo)[1] if todo else []
    except Exception:  # noqa: BLE001 - the metrics stay as they are
        return None


class KeptHost(Protocol):
    """What of the analysis view (`app.analysis.controller.AnalysisController`) the look uses."""

    model_changed: SignalInstance
    session: ImageSession
    settings: AnalysisSettings
    worker: InferenceWorker
    planning: RunAllPlanning
    planner: RunPlanner
    model: LoadedModel | None
    standby: VideoStandby
    scores: ScoreReadout

    def run_all_busy(self) -> bool: ...


class KeptMetrics(QObject):
    """See the module doc; `analysis`: the view whose planner's hooks it uses and whose metrics it fills
    (`parent`: its owner, the view itself)."""

    def __init__(self, analysis: KeptHost, parent: QObject) -> None:
        super().__init__(parent)
        self.analysis = analysis
        self.lane = WorkerLane("fosp-kept-scores")
        self._relay = _KeptRelay()  # no parent: the thread may still hold it when this is deleted
        self._relay.found.connect(self._on_found)
        self._asked: _Asked | None = None
        self._deferred = False  # a look was wanted while a Run on all planned or ran: it looks when it ends
        self._pending: list[Kept] = []  # found, not recorded yet (`TAKE_AT_ONCE` a turn), for `_taking`
        self._taking: _Asked | None = None
        self.take = QTimer(self, singleShot=True, interval=0, timeout=self._take_some)
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
        if self.analysis.run_all_busy():
            self._deferred = True
            return False
        ask = planner.summarised(asked[0])
        paths = asked[4]
        if ask is None or not paths:
            return False
        ran = frozenset(analysis.scores.book.ran(asked[0], asked[1]))  # the few run here (a reopening: one)
        self.lane.current += 1
        self._asked, self._pending, self._taking = asked, [], None
        return self.lane.submit(self.lane.current, partial(_look, ask, paths, ran), self._relay.found.emit)

    def _on_found(self, token: int, kept: object) -> None:
        if token != self.lane.current:
            return  # a later look is under way
        asked, self._asked = self._asked, None
        if asked is None or asked != self._now() or not isinstance(kept, list):
            return  # another look is wanted (its change started the timer), or it failed
        if self.analysis.run_all_busy():  # a Run on all started meanwhile: looked at again when it is over
            self._deferred = True
            return
        self._pending, self._taking = list(kept), asked
        self._take_some()

    def _take_some(self) -> None:
        """Record the next `TAKE_AT_ONCE` kept scores found (less those scored here meanwhile), while they
        are still wanted; the next ones in a turn of their own."""
        asked, analysis = self._taking, self.analysis
        if asked is None or asked != self._now() or analysis.planner.kept is None:
            self._pending, self._taking = [], None
            return
        if self.analysis.run_all_busy():
            self._pending, self._taking, self._deferred = [], None, True
            return
        some, self._pending = self._pending[:TAKE_AT_ONCE], self._pending[TAKE_AT_ONCE:]
        _model, _tau, threshold, keep, _paths = asked
        book = analysis.scores.book
        new = [one for one in some if not book.covers(one[0], one[1], threshold, keep)]
        if new:
            analysis.planner.kept(new)
        if self._pending:
            self.take.start()
        else:
            self._taking = None

    def close(self) -> None:
        """The window closes: a look under way tells no one."""
        self.timer.stop()
        self.take.stop()
        self._pending = []
        self.lane.close()
