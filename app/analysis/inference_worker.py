"""Model inference on a worker thread: load a checkpoint, predict images, report progress.

:class:`InferenceWorker` lives on the GUI thread and owns one QThread with a private
:class:`_Engine` (which holds the only :class:`~fosp_core.infer.Predictor`; predictors are not
thread-safe). Every request returns an id; all signals carry it so callers drop stale answers.
Results also carry what they depend on (image path, model id, τ), so they can be cached safely
even when the view has moved on. A run may bring a `prepare` function of the image path and prediction,
called on the worker thread after each image; what it returns comes in ``prepared`` just before that image's
``result`` (the analysis view makes its layer arrays there: :mod:`app.analysis.prepared`). Other views
follow every run (:meth:`InferenceWorker.add_follower`): each makes, at each run, a function called on the
worker thread after `prepare` with what that made, and what it returns comes in ``followed`` just before
the image's ``result`` (the worklist summarises each prediction there:
:mod:`app.annotation.worklist_summaries`). Nothing here blocks the GUI thread except :meth:`shutdown`.
The thread also lists the compute devices (:meth:`InferenceWorker.list_devices`): this module imports no
torch, the thread does, at the first load or device list, so the window shows without waiting for it.
The thread stops at :meth:`InferenceWorker.shutdown` (the window closes) or, at the latest, as the worker
is destroyed (a window deleted with ``deleteLater()`` and never closed): a QThread destroyed while it
runs aborts the process ("QThread: Destroyed while thread 'fosp-inference' is still running").
"""

from __future__ import annotations

import itertools
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal, Slot

from app.analysis.engine_stop import RunCancelled, between_tiles
from app.analysis.engine_stop import stop_thread as _stop
from app.analysis.loaded_model import (  # re-exported: importers name them here
    LoadedModel,
    _digest,
    _load_failure,
    describe_error,
    id_input,
    network_input,
)
from app.analysis.loaded_model import load_error_text as load_error_text  # noqa: F401 - re-exported
from app.analysis.model_ids import analysis_model_id
from fosp_core.analysis.settings import (
    DEFAULT_INPUT_SIZE,
    device_choices,
    predictor_input,
    read_model_info,
)
from fosp_core.annotation.prelabel import weights_digest
from fosp_core.checkpoint_files import resolve_checkpoint
from fosp_core.infer.device_errors import DeviceFailedError
from fosp_core.infer.result import NEED_BACKGROUND, NEED_FOCUS, NEED_FOREGROUND, NEED_HOLE, Prediction
from fosp_core.io.images import ImageReadError, read_image

if TYPE_CHECKING:
    from fosp_core.infer.predictor import Predictor

#: The outputs the analysis layers show (every one but the side outputs g32..g4, which no layer shows:
#: 16 bytes a pixel in each cached result, 768 MB at 8000x6000).
SHOWN_NEEDS = frozenset({NEED_FOCUS, NEED_HOLE, NEED_BACKGROUND, NEED_FOREGROUND})

#: Made of each prediction on the worker thread (see the module docstring).
Prepare = Callable[[Path, Prediction], object]
#: what `list_devices` answers when the devices cannot be listed (torch fails to import, a probe raises)
FALLBACK_DEVICES: tuple[tuple[str, str], ...] = (("auto", "Automatic"), ("cpu", "CPU"))
#: Made of each prediction on the worker thread after `Prepare`, given what that made (None: nothing).
Follow = Callable[[Path, Prediction, object], object]


def __getattr__(name: str) -> object:
    """`Predictor`, imported (with torch) on first use (PEP 562); tests replace it here."""
    if name == "Predictor":
        from fosp_core.infer.predictor import Predictor

        globals()["Predictor"] = Predictor
        return Predictor
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class Job:
    """One image to predict: its path and, when already decoded, its RGB uint8 (H, W, 3) pixels."""

    path: Path
    rgb: np.ndarray | None = None


#: Called on the GUI thread by each run with its jobs: the run's `Follow`, or None to sit it out.
Follower = Callable[[list[Job]], Follow | None]


class _Engine(QObject):
    """Runs on the worker thread; reached only through queued signals."""

    loaded = Signal(int, object)  # request id, LoadedModel
    result = Signal(int, object, str, object, object)  # request id, path, model id, tau, Prediction
    prepared = Signal(int, object, object)  # request id, path, what `prepare` made (just before result)
    followed = Signal(int, object, object)  # request id, path, what a follower made (after prepared)
    progress = Signal(int, int, int)  # request id, done, total
    failed = Signal(int, object, str)  # request id, path or None, message
    unreadable = Signal(int, object, str)  # request id, path, why (an ImageReadError's reason)
    notice = Signal(int, str)  # request id, message (e.g. a device fallback)
    done = Signal(int, bool)  # request id, cancelled
    devices = Signal(int, object)  # request id, [(device name, label), ...] (device_choices())

    def __init__(self, input_size: int) -> None:
        super().__init__()
        self.input_size = input_size
        self.predictor: Predictor | None = None
        self.model_id = ""
        self.input = "default"
        self.checkpoint: Path | None = None  # the file loaded and its weights' digest: the id's (`analysis_model_id`)
        self.weights = ""
        self.cancel_upto = 0  # requests with an id <= this are cancelled (set from the GUI thread)
        self.last_load = 0  # the last load asked for (set from the GUI thread): an earlier one is superseded
        self.calls = 0

    @Slot(int, object, str, str, str)
    def load(self, request_id: int, path: Path, device: str, precision: str, input: str) -> None:
        asked = Path(path)
        if request_id < self.last_load:  # superseded before it started: not worth its seconds
            self.done.emit(request_id, False)
            return
        try:
            path, note = resolve_checkpoint(asked) if asked.is_dir() else (asked, "")  # a run folder: its weights
            info = read_model_info(path)
            predictor_type = globals().get("Predictor") or __getattr__("Predictor")  # torch comes in here
            predictor = predictor_type(path, device=device, precision=precision,
                                       **predictor_input(input, self.input_size))
        except Exception as exc:  # noqa: BLE001 - any failure becomes a message, never a crash
            self.failed.emit(request_id, asked, _load_failure(asked, exc))
            self.done.emit(request_id, False)
            return
        if request_id < self.last_load:  # superseded while it loaded: the model in place stays until the newer
            self.done.emit(request_id, False)  # load's answer (a failure keeps it: the view's model runs on)
            return
        self.predictor, self.input, self.checkpoint, self.weights = predictor, input, path, weights_digest(path)
        self.model_id = self._id()
        self.loaded.emit(request_id, LoadedModel(self.model_id, info, str(predictor.device), _digest(path),
                                                 str(getattr(predictor, "precision", "")).lower(),
                                                 network_input(predictor), path, note, self.weights))
        self.done.emit(request_id, False)

    @Slot()
    def unload(self) -> None:
        """Let the model go (its memory with it, once nothing else holds it)."""
        self.predictor, self.checkpoint, self.weights = None, None, ""
        self.model_id = ""

    @Slot(int)
    def list_devices(self, request_id: int) -> None:
        try:
            found = device_choices()  # imports torch, probes CUDA / MPS
        except Exception:  # noqa: BLE001 - never a crash; the box must not say it is looking forever
            traceback.print_exc()
            found = list(FALLBACK_DEVICES)
        self.devices.emit(request_id, found)

    @Slot(int, object, str, float, object, object)
    def predict(self, request_id: int, jobs: list[Job], model_id: str, tau: float, prepare: Prepare | None,
                follows: tuple[Follow, ...] = ()) -> None:
        total = len(jobs)
        for done, job in enumerate(jobs):
            if request_id <= self.cancel_upto:
                self.done.emit(request_id, True)
                return
            if self.predictor is None:
                self.failed.emit(request_id, None, "no model is loaded: open a checkpoint first")
                break
            if model_id != self.model_id:
                self.failed.emit(request_id, None, "the model changed since this run was asked for: run it again")
                break
            went = self._predict_one(request_id, job, tau, prepare, follows)
            if went is None:  # cancelled between two of its tiles: nothing of it is kept
                self.done.emit(request_id, True)
                return
            if went is False:
                break  # the GPU stopped working: every later image would fail the same way
            model_id = self.model_id  # a device fallback on this image moved the model: the run goes on
            self.progress.emit(request_id, done + 1, total)
        self.done.emit(request_id, False)

    def _id(self) -> str:
        """The loaded model's id as it runs now (`analysis_model_id`: a device fallback changes it)."""
        assert self.predictor is not None and self.checkpoint is not None
        return analysis_model_id(self.checkpoint, self.weights, str(self.predictor.device), self.predictor.precision,
                                 id_input(self.input, self.predictor))

    def _predict_one(self, request_id: int, job: Job, tau: float, prepare: Prepare | None,
                     follows: tuple[Follow, ...] = ()) -> bool | None:
        """Predict one image and emit what it made; False when the device failed (the run stops), None
        when the run was cancelled between two of its tiles (`engine_stop.between_tiles`)."""
        assert self.predictor is not None
        try:
            rgb = job.rgb if job.rgb is not None else read_image(job.path).rgb
        except ImageReadError as exc:  # the session's to tell (the list's thumbnail may have failed first)
            self.unreadable.emit(request_id, job.path, exc.reason)
            return True
        fallbacks = len(self.predictor.fallbacks)
        try:
            with warnings.catch_warnings(), between_tiles(self.predictor, lambda: request_id <= self.cancel_upto):
                warnings.simplefilter("ignore")
                self.calls += 1
                prediction = self.predictor.predict(rgb, tau=tau, need=SHOWN_NEEDS)
        except RunCancelled:
            return None
        except Exception as exc:  # noqa: BLE001 - GPU gone, OOM on the CPU, a broken model...
            traceback.print_exc()
            self.failed.emit(request_id, job.path, f"inference failed on {job.path.name}: {describe_error(exc)}")
            return not isinstance(exc, DeviceFailedError)
        for message in self.predictor.fallbacks[fallbacks:]:
            self.notice.emit(request_id, message)
        if len(self.predictor.fallbacks) > fallbacks:  # the model moved: its id changed
            self.model_id = self._id()
        made = None
        if prepare is not None:
            try:
                made = prepare(job.path, prediction)
                self.prepared.emit(request_id, job.path, made)
            except Exception:  # noqa: BLE001 - the GUI thread makes it then, as without `prepare`
                traceback.print_exc()
        for follow in follows:
            try:
                self.followed.emit(request_id, job.path, follow(job.path, prediction, made))
            except Exception:  # noqa: BLE001 - the follower makes it on the GUI thread then
                traceback.print_exc()
        self.result.emit(request_id, job.path, self.model_id, float(tau), prediction)
        return True


class InferenceWorker(QObject):
    """The GUI-thread face of the inference thread; see the module docstring.

    Signals (all on the GUI thread): loaded(id, LoadedModel), result(id, path, model_id, tau,
    Prediction), prepared(id, path, what the run's `prepare` made of the next result's prediction),
    followed(id, path, what a follower's function made of it, after prepared), progress(id, done, total),
    failed(id, path | None, message), unreadable(id, path, why: an image of the run could not be read),
    notice(id, message), done(id, cancelled), devices(id, [(device name, label), ...]).
    """

    loaded = Signal(int, object)
    result = Signal(int, object, str, object, object)
    prepared = Signal(int, object, object)
    followed = Signal(int, object, object)
    progress = Signal(int, int, int)
    failed = Signal(int, object, str)
    unreadable = Signal(int, object, str)
    notice = Signal(int, str)
    done = Signal(int, bool)
    devices = Signal(int, object)

    _devices_requested = Signal(int)
    _load_requested = Signal(int, object, str, str, str)
    _predict_requested = Signal(int, object, str, float, object, object)
    _unload_requested = Signal()

    def __init__(self, parent: QObject | None = None, input_size: int = DEFAULT_INPUT_SIZE) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._thread = QThread()
        self._thread.setObjectName("fosp-inference")
        self._engine = _Engine(input_size)
        self._engine.moveToThread(self._thread)
        self._devices_requested.connect(self._engine.list_devices)
        self._load_requested.connect(self._engine.load)
        self._predict_requested.connect(self._engine.predict)
        self._unload_requested.connect(self._engine.unload)
        for name in ("loaded", "result", "prepared", "followed", "progress", "failed", "unreadable", "notice",
                     "done", "devices"):
            getattr(self._engine, name).connect(getattr(self, name))
        self._followers: list[Follower] = []
        self._thread.start()
        self._running = True
        # deleted without shutdown() (its window deleted, never closed): the thread stops all the same;
        # the slot holds the thread and engine, not this wrapper (gone by then)
        self.destroyed.connect(lambda _obj=None, t=self._thread, e=self._engine: _stop(t, e))

    @property
    def calls(self) -> int:
        """How many times the network has been run (tests check thresholds never run it)."""
        return self._engine.calls

    @property
    def input_size(self) -> int:
        """Network input size of the next :meth:`load_model`."""
        return int(self._engine.input_size)

    def set_input_size(self, size: int) -> None:
        """Network input size used by the next :meth:`load_model` (multiple of 32)."""
        self._engine.input_size = int(size)

    def list_devices(self) -> int:
        """List the compute devices on the worker thread (the first list imports torch there);
        answers devices(id, [(device name, label), ...]), as from device_choices(), or
        `FALLBACK_DEVICES` when they cannot be listed."""
        request_id = next(self._ids)
        self._devices_requested.emit(request_id)
        return request_id

    def load_model(self, checkpoint: Path, device: str, precision: str, input: str = "default") -> int:
        """Load `checkpoint` on `device` at `precision` with an input choice (see
        fosp_core.analysis.settings.INPUT_CHOICES); answers loaded(...) or failed(...), then done(...). A load
        asked for before it is superseded: skipped, or (already under way) not put in place, it answers done
        only, and the model in place stays until this one's answer."""
        request_id = next(self._ids)
        self._engine.last_load = request_id  # the loads asked for before are superseded (`_Engine.load`)
        self._load_requested.emit(request_id, Path(checkpoint), device, precision, input)
        return request_id

    def unload_model(self) -> None:
        """Let the loaded model go, on the worker thread after the requests asked for before (not waited
        for); runs asked for later fail ('no model is loaded') until the next :meth:`load_model`."""
        self._unload_requested.emit()

    def predict(self, jobs: list[Job], model_id: str, tau: float, prepare: Prepare | None = None) -> int:
        """Predict `jobs` in order with the loaded model `model_id` at Focus threshold `tau`;
        `prepare` (called on the worker thread, so it must not touch Qt objects or shared state)
        makes what ``prepared`` brings of each image's path and prediction; each follower
        (:meth:`add_follower`) is asked now for what it makes of them (``followed``)."""
        request_id = next(self._ids)
        jobs = list(jobs)
        follows = tuple(follow for follower in self._followers if (follow := follower(jobs)) is not None)
        self._predict_requested.emit(request_id, jobs, model_id, float(tau), prepare, follows)
        return request_id

    def add_follower(self, follower: Follower) -> None:
        """Follow every run: `follower(jobs)` is called on the GUI thread by each :meth:`predict` and
        returns a function of (image path, prediction, what the run's `prepare` made or None), called on
        the worker thread after each image (it must not touch Qt objects or shared state: take what it
        needs now), whose return comes in ``followed`` just before that image's ``result``; or None."""
        self._followers.append(follower)

    def cancel(self, request_id: int | None = None) -> None:
        """Cancel `request_id` and every earlier request (all requests when None); the image being
        predicted finishes first (in tiled mode, the tile being predicted: the image is dropped)."""
        upto = request_id if request_id is not None else next(self._ids)
        self._engine.cancel_upto = max(self._engine.cancel_upto, upto)

    def shutdown(self) -> None:
        """Cancel everything and stop the thread (waits for the current image, or tile in tiled mode)."""
        if self._running:
            self._running = False
            _stop(self._thread, self._engine)

