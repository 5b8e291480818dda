"""The analysis layers of the video frame shown: the Focus Map, the τ hole, the separated background,
the foreground energies and the prediction of the frame on the canvas, as the image view shows them
for an image.

The video's timeline keeps its probability-only path (:mod:`app.video.predicting`, fast enough to fill
the curves); the full layers are made here, for one frame at a time and only once the frame *settles*:
playback paused and no other frame shown for :data:`SETTLE_MS`. Frames that playback or a scrub pass
over start nothing (:attr:`FrameLayers.started` counts the runs). The run goes through the image view's
own path: an :class:`~app.analysis.inference_worker.InferenceWorker` (its thread, a
:class:`~fosp_core.infer.predictor.Predictor` of the video's model at the analysis view's network input
size, ``need=SHOWN_NEEDS``) and :func:`~app.analysis.prepared.result_preparer` (layer arrays made on that
thread); the result is shown in the analysis view's Layers list, canvas overlays and hover readout (the
same legends and readouts). Another frame shown cancels the run asked for (the frame being predicted
finishes; its answer is dropped as stale, :attr:`FrameLayers.dropped`). Results are kept in the
analysis view's bounded :class:`~fosp_core.analysis.results.ResultCache` by (frame, model, input size,
τ), so coming back to a frame is instant. The Video panel says which frame the layers shown belong to,
and which one is being computed meanwhile.

The image's own layers come back when video mode ends (the analysis view is told it owes the image an
update: :mod:`app.analysis.standby`), and the layers' own copy of the video's model goes then
(:meth:`FrameLayers.unload`, on the worker's thread): the video keeps its copy for reuse, and sharing that
one is not simple (its predictor runs on the prediction thread, is not thread-safe, and predicts at the
video's input size with the probability only), so a second copy held all session long was 27 MB
(fosp-s) to 194 MB (fosp, MiT-B3) of weights (`bench/bench_model_copy_size.py`). Switching videos keeps
it; the next settled frame loads it again.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from app.analysis.inference_worker import InferenceWorker, Job, LoadedModel
from app.analysis.prepared import PreparedResult, result_preparer, shown_layers
from app.video.frame_layer_parts import (
    VIDEO_EMPTY_TEXT,
    AnalysisParts,
    LayersIdentity,
    LayersSpec,
    VideoParts,
    frame_path,
    is_panel_model,
    layers_identity,
    layers_text,
)
from app.video.frame_truth import LABEL_LAYERS, TRUTH_NOTE, FrameTruth, put_label_layers
from fosp_core.analysis.layers import thresholded_arrays
from fosp_core.analysis.results import ResultCache, ResultKey
from fosp_core.analysis.settings import DEFAULT_INPUT_SIZE, DEFAULT_TAU

if TYPE_CHECKING:
    import numpy as np

    from fosp_core.infer.result import Prediction

__all__ = ["SETTLE_MS", "VIDEO_EMPTY_TEXT", "AnalysisParts", "FrameLayers", "VideoParts", "frame_path", "layers_text"]

#: How long a paused frame must stay on screen before its full layers are computed.
SETTLE_MS = 250


class FrameLayers(QObject):
    """The frame's analysis layers (see the module docstring). Signal: shown(index) once frame `index`'s
    layers are on the canvas. `frame`: the frame whose layers are shown (None: none)."""

    shown = Signal(int)

    def __init__(self, mode: VideoParts) -> None:
        super().__init__(mode)
        self.mode = mode
        self.window = mode.window
        self.analysis: AnalysisParts | None = getattr(self.window, "analysis", None)
        self.cache = self.analysis.cache if self.analysis is not None else ResultCache(max_items=16)
        self.timer = QTimer(self, singleShot=True, interval=SETTLE_MS, timeout=self.settle)
        self.worker: InferenceWorker | None = None  # made on the first settled frame
        self.model: LoadedModel | None = None
        self._spec: LayersSpec | None = None  # loaded, or being loaded (`_load_request`)
        self._identity: LayersIdentity | None = None  # its weights (`layers_identity`): a copy is not loaded again
        self._load_request: int | None = None
        self._request: int | None = None  # the run asked for the frame `_computing`
        self._computing: int | None = None
        #: The network input size of each run not done yet (its answer is cached under it, not the size of
        #: the layers' model loaded by the time the answer comes).
        self._run_sizes: dict[int, int] = {}
        self._prepared: PreparedResult | None = None
        self.frame: int | None = None
        self.prediction: Prediction | None = None
        self.arrays: dict[str, np.ndarray] = {}
        #: The frames a full-layer run was started for, in order (tests count them).
        self.started: list[int] = []
        #: Answers that came for a frame no longer shown (dropped).
        self.dropped = 0
        #: The layers' model loads asked for, and unloads (tests count them).
        self.loads = self.unloads = 0
        self._empty_before: str | None = None
        #: the frame's painted mask as its ground truth (:mod:`app.video.frame_truth`)
        self.truth = FrameTruth(mode, self._relabel)
        self._bind()

    def _bind(self) -> None:
        self.mode.frame_shown.connect(self.on_frame_shown)
        self.mode.playback.playing_changed.connect(self._on_playing_changed)
        self.mode.models.ready.connect(self._on_model_ready)  # (a bound method: goes with this object)
        self.window.canvas.hovered.connect(self._hovered)
        if self.analysis is not None:
            self.analysis.settings.events.changed.connect(self._on_setting)

    # --- which frame, when ---------------------------------------------------------------------
    def on_frame_shown(self, index: int) -> None:
        """A frame reached the canvas: another frame cancels the run asked for; while paused, the
        frame's layers come once it settles (playback and scrubbing pass over frames for nothing)."""
        if self._computing is not None and self._computing != index:
            self._cancel()
        if self.mode.playback.playing:
            self.timer.stop()
            return
        self.timer.start()
        self._say()

    def _on_model_ready(self, *_: object) -> None:
        """The video has another model: the frame's layers of it once the frame settles."""
        if self.mode.active:
            self.timer.start()

    def _on_playing_changed(self, playing: bool) -> None:
        if playing:  # the layers of one frame would lie over the frames played
            self.timer.stop()
            self._cancel()
            self.clear()
            self._say("shown while paused")
        elif self.mode.active:
            self.timer.start()

    def settle(self) -> None:
        """The frame shown has settled: show its layers (from the cache), or start computing them."""
        mode = self.mode
        index, rgb = mode.shown_index, mode.shown_rgb
        if (not mode.active or mode.playback.playing or index < 0 or index != mode.index or rgb is None
                or index in mode.failed_frames):
            return
        spec = self._wanted_spec()
        if spec is not None and self.model is not None and self._identity_of(spec) == self._identity:
            self._spec = spec  # the same weights in another file: the model loaded stays, named by the file chosen
        if index == self.frame and self._is_current(index):
            return
        if spec is None:
            self._say("open a model (Video panel, Model…)")
            return
        if self._identity_of(spec) != self._identity or self.model is None:
            self._load(spec)
            self._say(f"loading {spec[0].name}…")
            return  # the frame settles again once the model is in
        key = self._key(index)
        cached = self.cache.get(key)
        if cached is not None:
            self._show(index, cached, None)
            return
        assert self.worker is not None
        if self._computing == index:
            return
        self._cancel()
        analysis = self.analysis
        preparer = result_preparer(analysis.layers, analysis.settings.threshold, analysis.settings.keep) \
            if analysis is not None else None
        self._computing = index
        self._request = self.worker.predict([Job(key.path, rgb)], self.model.model_id, self._tau(), preparer)
        self._run_sizes[self._request] = spec[4]
        self.started.append(index)
        self._say()

    def _cancel(self) -> None:
        if self._request is not None and self.worker is not None:
            self.worker.cancel(self._request)
        self._request = self._computing = None

    # --- the model -----------------------------------------------------------------------------
    def _wanted_spec(self) -> LayersSpec | None:
        """The video's model (its checkpoint, device, precision, input choice) at the analysis view's
        network input size, or None without one."""
        spec = self.mode.models.spec
        if spec is None or self.mode.models.fn is None:
            return None
        size = self.analysis.worker.input_size if self.analysis is not None else DEFAULT_INPUT_SIZE
        return (Path(spec[0]), spec[1], spec[2], spec[3], int(size))

    def _identity_of(self, spec: LayersSpec) -> LayersIdentity:
        """What names `spec`'s model: the video model's weights (`layers_identity`), else its file."""
        weights = getattr(self.mode.models, "weights", "")
        return layers_identity(spec, weights if isinstance(weights, str) else "")

    def _load(self, spec: LayersSpec) -> None:
        identity = self._identity_of(spec)
        if identity == self._identity and self._load_request is not None:
            self._spec = spec
            return
        if self.worker is None:
            self.worker = InferenceWorker(self, input_size=spec[4])
            self.worker.loaded.connect(self._on_loaded)
            self.worker.prepared.connect(self._on_prepared)
            self.worker.result.connect(self._on_result)
            self.worker.failed.connect(self._on_failed)
            self.worker.done.connect(self._on_done)
        self._cancel()
        self._spec, self._identity, self.model = spec, identity, None
        self.worker.set_input_size(spec[4])
        self._load_request = self.worker.load_model(spec[0], spec[1], spec[2], spec[3])
        self.loads += 1

    def _on_loaded(self, request_id: int, model: LoadedModel) -> None:
        if request_id == self._load_request:
            self._load_request, self.model = None, model
            self.settle()

    def _on_failed(self, request_id: int, _path: object, message: str) -> None:
        """The layers' model could not load (tried again at the next settled frame), or a run failed."""
        if request_id == self._load_request:
            self._load_request, self._spec, self._identity = None, None, None
            self._say(message)
        elif request_id == self._request:
            self._say(message)

    def _tau(self) -> float:
        """The image view's τ for the analysis panel's own model (its checkpoint, or a copy of its weights:
        `is_panel_model`), else the checkpoint's τ."""
        analysis = self.analysis
        weights = self.model.weights if self.model is not None else ""
        if analysis is not None and self._spec is not None and is_panel_model(analysis, self._spec[0], weights):
            return float(analysis.settings.tau)
        tau = None if self.model is None else self.model.info.tau
        return float(tau) if tau is not None else DEFAULT_TAU

    def _key(self, index: int) -> ResultKey:
        assert self.model is not None and self._spec is not None and self.mode.reader is not None
        return ResultKey.make(frame_path(self.mode.reader.meta.path, index),
                              f"{self.model.model_id}|{self._spec[4]}px", self._tau())

    def _is_current(self, index: int) -> bool:
        """Whether the layers shown of frame `index` are of the model and τ wanted now."""
        spec = self._wanted_spec()
        return (spec is not None and self._identity_of(spec) == self._identity and self.model is not None
                and self.prediction is not None and self.cache.get(self._key(index)) is self.prediction)

    # --- results -------------------------------------------------------------------------------
    def _on_prepared(self, request_id: int, _path: object, prepared: object) -> None:
        if request_id == self._request and isinstance(prepared, PreparedResult):
            self._prepared = prepared

    def _on_result(self, request_id: int, path: Path, model_id: str, tau: float, prediction: Prediction) -> None:
        prepared, self._prepared = self._prepared, None
        size = self._run_sizes.get(request_id)
        if size is not None:
            self.cache.put(ResultKey.make(path, f"{model_id}|{size}px", tau), prediction)
        index = self._computing
        if request_id != self._request or index is None or index != self.mode.shown_index or not self.mode.active:
            self.dropped += 1  # another frame is shown now
            return
        self._request = self._computing = None  # answered (its `done` follows)
        self._show(index, prediction, prepared)

    def _on_done(self, request_id: int, _cancelled: bool) -> None:
        self._run_sizes.pop(request_id, None)
        if request_id == self._request:
            self._request = self._computing = None
            self._say()

    def _show(self, index: int, prediction: Prediction, prepared: PreparedResult | None) -> None:
        """Frame `index`'s `prediction` in the analysis view's layers, list and readout."""
        analysis = self.analysis
        self.frame, self.prediction = index, prediction
        label = self.truth.follow(index, prediction.shape)
        if analysis is not None:
            analysis.standby.waits()  # the image's own layers are owed once video mode ends
            self.arrays, _codes = shown_layers(prediction, analysis.settings.threshold, None,
                                               analysis.settings.keep, prepared)
            self.arrays.update(self.truth.arrays(self.arrays.get("prediction mask")))
            analysis.overlays.show(self.arrays)
            analysis.layer_list.set_arrays(self.arrays, prediction.tau)
            analysis.hover.refresh(self.arrays, label)
        self._say()
        self.shown.emit(index)

    def _relabel(self) -> None:
        """A commit on the frame shown: its label layers made again from its painted mask (no inference);
        when they come or go (the first stroke, an undo back to nothing) the layer list follows."""
        analysis = self.analysis
        if analysis is None or self.prediction is None or self.frame != self.truth.index:
            return
        fresh = self.truth.layers()
        came_or_went = set(fresh) != {name for name in self.arrays if name in LABEL_LAYERS}
        put_label_layers(analysis.overlays, fresh, self.truth.take_changed())  # the other layers stay as drawn
        self.arrays = analysis.overlays.arrays
        if came_or_went:
            analysis.layer_list.set_arrays(self.arrays, self.prediction.tau)
        analysis.hover.refresh(self.arrays, self.truth.label)
        self._say()

    def document_opened(self, index: int) -> None:
        """Frame `index`'s document came after its layers were shown (its saved mask read off the GUI thread:
        `app.video.frame_opening`): its label layers follow it."""
        if self.prediction is not None and self.frame == index and self.truth.doc is None:
            self._show(index, self.prediction, None)

    def clear(self) -> None:
        """No frame's layers shown (playback, another video)."""
        self.truth.unfollow()
        if self.frame is None:
            return
        self.frame, self.prediction, self.arrays = None, None, {}
        if self.analysis is not None:
            self.analysis.overlays.show({})
            self.analysis.layer_list.set_arrays({})
            self.analysis.hover.refresh({}, None)

    def _on_setting(self, name: str) -> None:
        """The Model panel's threshold or region rule moved: the frame's mask follows (no inference);
        τ moved: the frame's layers at the new τ once it settles."""
        analysis = self.analysis
        if analysis is None or not self.mode.active:
            return
        if name in ("threshold", "keep") and self.prediction is not None:
            fresh = thresholded_arrays(self.prediction, analysis.settings.threshold, None, analysis.settings.keep)
            fresh.update(self.truth.arrays(fresh["prediction mask"]))  # the error map against the new mask
            fresh.pop("ground truth", None)
            analysis.overlays.refresh_thresholded(fresh)
            self.arrays = analysis.overlays.arrays
            analysis.hover.refresh(self.arrays, self.truth.label)
        elif name == "tau" and not self.mode.playback.playing:
            self.timer.start()

    def _hovered(self, x: int, y: int) -> None:
        """The values of the frame's layers under the mouse (after the image view's readout, which says
        nothing of the image in video mode)."""
        if self.analysis is not None and self.mode.active and self.arrays:
            self.analysis.hover.show(self.arrays, (x, y), self.truth.label)

    def _say(self, note: str = "") -> None:
        truth = f" · {TRUTH_NOTE}" if self.truth.label is not None and self.frame is not None else ""
        self.mode.panel.layers_label.setText(layers_text(self.frame, self._computing, note) + truth)
        bar = self.window.statusBar()
        if self._computing is not None:
            bar.showMessage(layers_text(self.frame, self._computing), 4000)
        elif bar.currentMessage().startswith("Layers: ") and "computing frame" in bar.currentMessage():
            bar.clearMessage()  # its run ended: the status bar no longer says it computes

    # --- entering and leaving ------------------------------------------------------------------
    def entered(self) -> None:
        """A video opened: the Layers list's note speaks of frames."""
        if self.analysis is not None and self._empty_before is None:
            self._empty_before = self.analysis.layer_list.empty_note.text()
            self.analysis.layer_list.empty_note.setText(VIDEO_EMPTY_TEXT)

    def closed(self) -> None:
        """The video closed: nothing more of it computed or shown."""
        self.timer.stop()
        self._cancel()
        self.clear()
        self._say()

    def left(self) -> None:
        """Back to the images: the Layers list's note as it was, and the layers' own copy of the video's
        model let go (the video keeps its own for reuse; loaded again at the next settled frame)."""
        if self.analysis is not None and self._empty_before is not None:
            self.analysis.layer_list.empty_note.setText(self._empty_before)
        self._empty_before = None
        self.unload()

    def unload(self) -> None:
        """Let the layers' model go, on their worker's thread (not waited for): an answer of a load asked
        for before is dropped; the next settled frame loads it again."""
        self._cancel()
        if self.worker is not None and (self.model is not None or self._load_request is not None):
            self.worker.unload_model()
            self.unloads += 1
        self.model, self._spec, self._identity, self._load_request = None, None, None, None

    def shutdown(self) -> None:
        """The window closes: stop the inference thread (waits for the frame being predicted)."""
        self.timer.stop()
        if self.worker is not None:
            self.worker.shutdown()
