"""The model side of the video view: which model predicts the frames, whole-video runs, and a frame's
(smoothed) prediction on the canvas overlay, in the frame's document and on the timeline's curves.

The model is the analysis panel's by default, else the app's default one, else one chosen with the
Video panel's "Model…" (:class:`~app.video.model_source.VideoModelSource` loads it on a thread). The
Model panel's Regions rule (`AnalysisSettings.keep`) applies to every frame's map (:func:`with_regions`);
changing it predicts the frames again. The panel's mask threshold is the timeline's smoke-area
threshold (every predicted frame follows a change at once, from its summary) and the regions'
threshold (a change under a rule predicts the frames again, once the slider rests).

:class:`VideoPredictions` belongs to a :class:`~app.video.mode.VideoMode` and reads the open video's
state from it (prediction worker and cache, frame index, widgets), as :class:`PredictionHost` names.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QFileDialog

from app.video.frame_fns import with_regions, with_tau
from app.video.frame_layer_parts import is_panel_model
from app.video.model_source import ModelSpec, VideoModelSource, default_model_spec
from fosp_core.analysis.settings import keep_words
from fosp_core.video.kept_predictions import KeptPredictions
from fosp_core.video.timeline import smooth_probability

if TYPE_CHECKING:
    import numpy as np

    from app.host import AppWindow
    from app.video.overlay import ProbabilityOverlay
    from app.video.panel import VideoPanel
    from app.video.playback import Playback
    from app.video.preview import Frame0Preview
    from app.video.timeline_widget import TimelineWidget
    from app.video.workers import PredictionWorker, ProbabilityFn
    from fosp_core.annotation.document import AnnotationDocument
    from fosp_core.video.predictions import PredictionCache

__all__ = ["PredictionHost", "VideoPredictions", "with_regions"]


class PredictionHost(Protocol):
    """What :class:`VideoPredictions` reads of the video view that owns it (`app.video.mode.VideoMode`)."""

    window: AppWindow
    worker: PredictionWorker | None
    cache: PredictionCache | None
    index: int
    panel: VideoPanel
    playback: Playback
    timeline: TimelineWidget
    overlay: ProbabilityOverlay
    preview: Frame0Preview

    @property
    def active(self) -> bool: ...

    @property
    def frame_count(self) -> int: ...

    @property
    def document(self) -> AnnotationDocument | None: ...

    def note_undecodable(self, index: int) -> None: ...


class VideoPredictions(QObject):
    """The prediction part of the video view (see module doc)."""

    #: How long the threshold slider must rest before frames under a Regions rule are predicted again.
    THRESHOLD_SETTLE_MS = 400

    def __init__(self, mode: PredictionHost, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.mode = mode
        self.window = mode.window
        self.models = VideoModelSource(self._default_model, self)
        self._model: tuple[ProbabilityFn | None, str] = (None, "")
        #: Counts the model functions predicted with: a cache's key names the one that made its maps (by this
        #: count, not the checkpoint's file name: a copy of the weights loaded keeps the function, and its maps).
        self._serial = 0
        #: The predictions of videos closed lately, for when they open again (fosp_core.video.kept_predictions).
        self.kept = KeptPredictions()
        self._generation = 0
        self._whole_after_load = False  # "Predict whole video" asked for while the model loads
        self._keyed: PredictionCache | None = None  # the open video's cache, once a model was set in its opening
        self._follows_playback = False  # playing_changed connected (the playback is made after this object)
        self._plot_timer = QTimer(self)
        self._plot_timer.setSingleShot(True)
        self._plot_timer.setInterval(150)
        self._plot_timer.timeout.connect(self.update_curves)
        self._rule_timer = QTimer(self)  # a threshold change under a Regions rule, once it settles
        self._rule_timer.setSingleShot(True)
        self._rule_timer.setInterval(self.THRESHOLD_SETTLE_MS)
        self._rule_timer.timeout.connect(self._predict_again)
        self._bind()

    def _bind(self) -> None:
        p = self.mode.panel
        p.show_prediction.toggled.connect(lambda _on: self.show_prediction())
        p.smoothing.toggled.connect(lambda _on: self.show_prediction())
        p.smoothing_radius.valueChanged.connect(lambda _v: self.show_prediction())
        p.load_model_button.clicked.connect(self.load_model_dialog)
        p.predict_all_button.clicked.connect(self.predict_whole)
        p.cancel_button.clicked.connect(self.cancel_whole)
        self.models.ready.connect(self.set_model)
        self.models.failed.connect(self._on_model_failed)
        analysis = getattr(self.window, "analysis", None)
        if analysis is not None:  # follow the analysis panel's model unless the user chose one
            analysis.model_changed.connect(lambda: self.mode.active and self.models.use_default())
            analysis.settings.events.changed.connect(self._on_analysis_setting)

    # --- a video opens and closes --------------------------------------------------------------
    def watch(self, worker: PredictionWorker) -> None:
        """Follow the new video's prediction worker (and tell it when the video plays: it then predicts
        with fewer threads, see :data:`~app.video.prediction_worker.PLAYING_THREADS`)."""
        if not self._follows_playback:
            self._follows_playback = True
            self.mode.playback.playing_changed.connect(self._on_playing_changed)
        worker.set_playing(self.mode.playback.playing)
        worker.predicted.connect(self._on_predicted)
        worker.failed.connect(self._on_prediction_failed)
        worker.progress.connect(self._on_progress)
        worker.whole_finished.connect(self._on_worker_whole_finished)

    def _on_playing_changed(self, playing: bool) -> None:
        if self.mode.worker is not None:
            self.mode.worker.set_playing(playing)

    def _from_worker(self) -> bool:
        """The signal being handled comes from the open video's worker: a closed video's worker may have
        queued some just before it stopped (its generations are no different from the new one's)."""
        return self.mode.worker is not None and self.sender() is self.mode.worker

    def start(self) -> None:
        """A new video: predict with the model in use, else the default one (loaded on a thread)."""
        models = self.models
        if models.fn is not None and (models.chosen or models.spec == self._default_model()):
            self.set_model(models.fn, models.name)
        elif not models.use_default():
            self.mode.panel.set_model_text("No model loaded")
        if models.loading is not None:
            self.mode.panel.set_model_text(f"Loading {models.loading}…")

    @property
    def waiting(self) -> bool:
        """A whole-video run was asked for while the model loaded and has not started: the model is still
        loading, or it came during a frame-0 preview of another video (the run waits for the preview's
        outcome: :meth:`preview_cancelled` starts it, the new video's open drops it)."""
        return self._whole_after_load

    def stopped_words(self) -> str | None:
        """What closing the video now stops of a whole-video run, to follow 'the whole-video prediction of
        <video>': a run asked for while the model loads (dropped), or one under way (stopped: how far it got, the
        worker's own count, never the progress bar's; the frames predicted are kept for the video's next opening,
        `KeptPredictions`); None: none."""
        worker = self.mode.worker
        if self._whole_after_load:
            return ", asked for while its model loaded, was dropped"
        if worker is None or not worker.whole_running:
            return None
        done, total = worker.whole_progress()
        return (f" was stopped at {done} of {total} frames (Predict whole video goes on with the "
                "others when it is opened again)")

    def preview_cancelled(self) -> None:
        """The video open behind a frame-0 preview is back: a run that waited out the preview, its model
        in meanwhile, starts now."""
        worker = self.mode.worker
        if self._whole_after_load and worker is not None and worker.has_model:
            self._whole_after_load = False
            self.predict_whole()

    def closed(self) -> None:
        """The video closed: a whole-video run (running, or asked for while the model loads) is dropped
        and the panel is ready for the next video."""
        self._whole_after_load = False
        self._keyed = None
        self._rule_timer.stop()
        panel = self.mode.panel
        panel.cancel_button.setEnabled(False)
        panel.predict_all_button.setEnabled(True)
        panel.progress.setValue(0)

    # --- the model -----------------------------------------------------------------------------
    def set_model(self, fn: ProbabilityFn | None, name: str = "model", *, again: bool = False) -> None:
        """Predict frames with `fn` (RGB uint8 (H, W, 3) -> float (H, W) probability); None: none.
        The analysis panel's Regions rule applies to every frame's map (see :func:`with_regions`). `again`: the
        same model under the Model panel's new rule, τ or threshold (:meth:`_was_whole`)."""
        if fn is not self._model[0]:
            self._serial += 1
        self._model = (fn, name)
        self._rule_timer.stop()
        worker = self.mode.worker
        if worker is None:
            return
        keep, threshold, tau = self.keep, self.threshold, self.tau
        label = name if keep == "plain" else f"{name} · {keep_words(keep)}"
        key = (f"model#{self._serial}|{keep}" + ("" if keep == "plain" else f"@{threshold:g}")
               + ("" if tau is None else f"|tau{tau:g}"))
        made = None if fn is None else with_regions(with_tau(fn, tau), keep, threshold)
        whole = again and made is not None and self._was_whole(key)
        self._generation = worker.set_model(made, key)
        self._keyed = self.mode.cache
        self.mode.panel.set_model_text(label if fn is not None else "No model loaded")
        self.update_curves()
        self.show_prediction()
        if (whole or self._whole_after_load) and fn is not None and not self.mode.preview.active:
            self._whole_after_load = False  # (during a preview it waits: not on the video behind)
            self.predict_whole()

    @property
    def keep(self) -> str:
        """The region rule of the frames' masks: the analysis panel's Regions (plain without one)."""
        analysis = getattr(self.window, "analysis", None)
        return analysis.settings.keep if analysis is not None else "plain"

    @property
    def threshold(self) -> float:
        """The frames' mask threshold: the analysis panel's (0.5 without one)."""
        analysis = getattr(self.window, "analysis", None)
        return float(analysis.settings.threshold) if analysis is not None else 0.5

    @property
    def tau(self) -> float | None:
        """The frames' τ: the Model panel's where the video's model is the panel's (a copy of its weights
        too, `is_panel_model`: the user may have moved it, and the frame layers take it), else None (the
        checkpoint's own)."""
        analysis, spec = getattr(self.window, "analysis", None), self.models.spec
        if analysis is None or spec is None or not is_panel_model(analysis, spec[0], self.models.weights):
            return None
        return float(analysis.settings.tau)

    def _on_analysis_setting(self, name: str) -> None:
        """Regions changed in the Model panel: predict the frames again under the new rule. The
        threshold changed: the area curve follows now; under a rule, the frames are predicted again
        once the slider has rested (THRESHOLD_SETTLE_MS). τ changed, the video's model being the panel's:
        the frames are predicted again once it has rested."""
        if not self.mode.active:
            return
        cache = self.mode.cache
        if name == "keep":
            self._predict_again()
        elif name == "tau" and self._model[0] is not None and self.tau is not None:
            self._rule_timer.start()
        elif name == "threshold" and cache is not None:
            cache.set_threshold(self.threshold)
            self.update_curves()
            if self.keep != "plain" and self._model[0] is not None:
                self._rule_timer.start()

    def _predict_again(self) -> None:
        if self.mode.active and self._model[0] is not None:
            self.set_model(*self._model, again=True)

    def _was_whole(self, key: str) -> bool:
        """Whether the frames, about to be predicted under `key` (the Model panel's new rule, τ or threshold)
        instead, had every one its prediction (or could not be predicted) under a model set in this opening of
        the video: then they are predicted whole again (their curves stay whole). Another model starts again
        from the playhead (test_video_day_progress)."""
        cache, worker = self.mode.cache, self.mode.worker
        return (cache is not None and worker is not None and cache is self._keyed and key != cache.model_key
                and not worker.whole_running and cache.summary_count() + len(worker.failed_frames) >= cache.frame_count)

    def _default_model(self) -> ModelSpec | None:
        """The analysis panel's loaded model, else the app's default model, else None."""
        analysis = getattr(self.window, "analysis", None)
        return default_model_spec(analysis.loaded_checkpoint() if analysis is not None else None,
                                  self.window.services.default_model)

    def load_model_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Load Checkpoint", "",
                                              "Checkpoints (*.safetensors *.pt *.pth);;All files (*)")
        if path:
            self.load_model(Path(path))

    def load_model(self, path: Path, device: str = "auto") -> None:
        """Predict with another checkpoint than the analysis panel's (loaded on a thread)."""
        self.mode.panel.set_model_text(f"Loading {Path(path).name}…")
        self.models.choose(Path(path), device)

    def _on_model_failed(self, message: str) -> None:
        if self._whole_after_load:
            self._whole_after_load = False
            self._on_whole_finished(True)
        self.mode.panel.set_model_text(message)
        self.window.statusBar().showMessage(message, 8000)

    # --- whole-video runs ----------------------------------------------------------------------
    def predict_whole(self) -> None:
        """Predict every frame; asked for while the model loads, once it is ready."""
        worker, panel = self.mode.worker, self.mode.panel
        if worker is not None and self.models.loading is not None and not worker.has_model:
            self._whole_after_load = True
            self.window.statusBar().showMessage(f"The whole video is predicted once {self.models.loading} "
                                                "has loaded", 5000)
        elif worker is None or not worker.predict_whole():
            self.window.statusBar().showMessage("Load a model first (Video panel, Model…)", 5000)
            return
        panel.cancel_button.setEnabled(True)
        panel.predict_all_button.setEnabled(False)

    def cancel_whole(self) -> None:
        if self._whole_after_load:
            self._whole_after_load = False
            self._on_whole_finished(True)
        if self.mode.worker is not None:
            self.mode.worker.cancel_whole()

    def _on_predicted(self, generation: int, index: int) -> None:
        if generation != self._generation or not self._from_worker():
            return
        if abs(index - self.mode.index) <= self.mode.panel.smoothing_radius.value():
            self.show_prediction()
        if not self._plot_timer.isActive():
            self._plot_timer.start()

    def _on_prediction_failed(self, generation: int, index: int, reason: str) -> None:
        if generation == self._generation and self._from_worker():
            self.window.statusBar().showMessage(f"Prediction of frame {index} failed: {reason}", 5000)
            if self.mode.worker is not None and index in self.mode.worker.undecodable:
                self.mode.note_undecodable(index)

    def _on_progress(self, done: int, total: int) -> None:
        if not self._from_worker():
            return
        self.mode.panel.progress.setRange(0, total)
        self.mode.panel.progress.setValue(done)

    def _on_worker_whole_finished(self, cancelled: bool) -> None:
        if self._from_worker():
            self._on_whole_finished(cancelled)

    def _on_whole_finished(self, cancelled: bool) -> None:
        panel = self.mode.panel
        panel.cancel_button.setEnabled(False)
        panel.predict_all_button.setEnabled(True)
        self.update_curves()
        worker = self.mode.worker
        failed = worker.failed_frames if worker is not None and not cancelled else []
        if cancelled:
            self.window.statusBar().showMessage(self._cancelled_text(), 5000)
        elif failed:
            shown = ", ".join(map(str, failed[:8])) + (", …" if len(failed) > 8 else "")
            self.window.statusBar().showMessage(f"Whole video predicted except {len(failed)} frame(s) that could not be "
                                                f"decoded or predicted: {shown}", 0)
        else:
            self.window.statusBar().showMessage("Whole video predicted", 5000)

    def _cancelled_text(self) -> str:
        """What a cancelled whole-video run says: how many frames have a prediction with the model in use (this
        run's and earlier ones'), of how many; Predict whole video goes on with the rest."""
        cache = self.mode.cache
        if cache is None:
            return "Prediction cancelled"
        return (f"Prediction cancelled: {cache.summary_count()} of {cache.frame_count} frames predicted "
                "(Predict whole video goes on with the rest)")

    # --- showing predictions -------------------------------------------------------------------
    def probability(self, index: int | None = None) -> np.ndarray | None:
        """The (optionally temporally smoothed) probability of frame `index` (default: current)."""
        mode = self.mode
        cache = mode.cache
        if cache is None:
            return None
        index = mode.index if index is None else index
        if not mode.panel.smoothing.isChecked():
            return cache.get(index)
        return smooth_probability(cache.get, index, mode.panel.smoothing_radius.value(), mode.frame_count)

    def show_prediction(self) -> None:
        """Show the current frame's (smoothed) probability and give it to the frame's document."""
        probability = self.probability()
        self.mode.overlay.set_probability(probability, self.mode.panel.show_prediction.isChecked())
        doc = self.mode.document
        if doc is not None and probability is not None and probability.shape == doc.shape:
            doc.set_probability(probability)

    def update_curves(self) -> None:
        """The timeline's smoke-area and peak curves from the prediction cache's summaries, and the
        progress bar from how many frames have one (or could not be predicted) with the model in use."""
        cache, worker = self.mode.cache, self.mode.worker
        if cache is None:
            return
        self.mode.timeline.set_curves(*cache.summary_arrays())
        failed = len(worker.failed_frames) if worker is not None else 0
        self.mode.panel.progress.setRange(0, cache.frame_count)
        self.mode.panel.progress.setValue(min(cache.frame_count, cache.summary_count() + failed))
