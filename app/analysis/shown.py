"""The result the analysis view shows: its layers on the canvas (:mod:`app.analysis.overlays`), its
label and the label's error codes, the values under the mouse (:class:`~app.analysis.readouts.
HoverReadout`, in the status bar), which layers the layer list offers, and the probability lent to the
annotation tools (:mod:`app.analysis.assist`); a threshold or region-rule move redraws only what
depends on them. The controller (:mod:`app.analysis.controller`) says what to show
(:meth:`ShownResult.show`); `changed` tells it that the shown result or its mask changed (its compare
grid, metrics and export action follow).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from app.analysis.assist import lend_probability
from app.analysis.deferred_overlays import DeferredOverlays
from app.analysis.layer_drawing import TracedOutline, outlined_layers
from app.analysis.layer_list import LayerList
from app.analysis.prepared import PreparedResult, prepared_drawn, shown_layers
from app.analysis.readouts import HoverReadout, ScoreReadout
from app.analysis.shown_work import ShownLayers, ShownWork, huge, shown_layers_traced, thresholded_traced
from app.analysis.standby import VideoStandby
from fosp_core.analysis.layers import LayerStack, thresholded_arrays
from fosp_core.analysis.settings import AnalysisSettings
from fosp_core.infer.result import Prediction

if TYPE_CHECKING:
    from app.host import AppWindow

__all__ = ["ShownResult"]


class ShownResult:
    """See the module docstring. `prediction`: the one shown (None: none); `label`: its image's
    ground truth of its size (None: none); `codes`: the label's error codes (a threshold move reads them);
    `standby`: says whether a video is open (the hover readout says nothing of the image then)."""

    def __init__(self, window: AppWindow, layers: LayerStack, settings: AnalysisSettings, scores: ScoreReadout,
                 layer_list: LayerList, changed: Callable[[], None], standby: VideoStandby | None = None) -> None:
        self.window = window
        self.settings = settings
        self.scores = scores
        self.layer_list = layer_list
        self.prediction: Prediction | None = None
        self.label: np.ndarray | None = None
        self.codes: np.ndarray | None = None
        # .arrays: what the layers show now; maps held at the grid drawn off the GUI thread, the row saying so
        self.overlays = DeferredOverlays(window.canvas, layers, layer_list.set_drawing)
        layer_list.measure_with(self.overlays.upsampler)  # a legend's maximum: made on the same worker
        layer_list.follow_rule(settings)  # the mask's legend names the threshold and rule in force
        self.hover = HoverReadout(settings)  # the values under the mouse (and its threshold), in the status bar
        self.standby = standby if standby is not None else VideoStandby(window)
        window.statusBar().addPermanentWidget(self.hover.label)
        window.canvas.hovered.connect(self._hovered)
        window.canvas.left.connect(lambda: self.hover.show({}, None))
        self._changed = changed
        self.work = ShownWork(self._landed, window.canvas)  # a huge image's layer arrays, made on a worker
        window.canvas.destroyed.connect(lambda _obj=None, lane=self.work.lane: lane.close())  # nothing taken after close
        self._path: Path | None = None  # the image whose result's layers are on the canvas
        self._prepared: PreparedResult | None = None  # what the inference thread made of the one asked of `work`
        self._asked = ""  # what `work` makes: "result" (a switch's layers) or "threshold" (a move's)
        self._keep_moved = False  # the region rule moved since the threshold-dependent arrays were last taken

    def _hovered(self, x: int, y: int) -> None:
        """The mouse at image pixel (x, y): nothing of the image while a video frame is shown over it."""
        self.hover.show({} if self.standby.active else self.arrays, (x, y), self.label)

    @property
    def arrays(self) -> dict[str, np.ndarray]:
        """The layer arrays of the shown prediction (name → array at the image's size)."""
        return self.overlays.arrays

    def show(self, prediction: Prediction | None, prepared: PreparedResult | None = None) -> None:
        """Show `prediction`'s layers (none for None) on the current image; `prepared`: what the
        inference thread made of it (:mod:`app.analysis.prepared`, with the full arrays of the maps
        held at the grid that are shown; others are made on a worker: :mod:`app.analysis.deferred_overlays`).
        A huge image's layer arrays that `prepared` does not hold, and the outlines of the shown
        ones, are made on a worker (:mod:`app.analysis.shown_work`): until they come, the last
        result's layers stay on the same image (a τ re-run), none on another."""
        path = self.window.session.current_path
        self.prediction = prediction
        self.label = None if prediction is None or path is None else self.scores.label_for(path, prediction.shape)
        self._keep_moved = False
        if prediction is None or not huge(prediction.shape) or _fits(prepared, prediction, self.settings, self.label):
            self.work.cancel()  # (a huge image's result run on it: its arrays and outlines made on the inference thread)
            arrays, codes = ({}, None) if prediction is None else shown_layers(
                prediction, self.settings.threshold, self.label, self.settings.keep, prepared)
            self._take((prediction, prepared, path, ShownLayers(arrays, codes, prepared_outlines(prepared, arrays))))
            return
        self._prepared = prepared
        self._request()
        if path != self._path:  # nothing of the last image's result over this one meanwhile
            self._path = None
            self.overlays.show({})
            self.hover.refresh(self.arrays, self.label)

    @property
    def pending(self) -> bool:
        """Whether the shown result's layer arrays are being made on the worker."""
        return self.work.pending

    def _request(self) -> None:
        """Make the shown prediction's layer arrays on the worker, at the threshold and rule of now."""
        prediction, label, path, prepared = self.prediction, self.label, self.window.session.current_path, self._prepared
        assert prediction is not None
        threshold, keep = self.settings.threshold, self.settings.keep
        outlined = outlined_layers(self.overlays.layers)  # (read here: the GUI thread's)
        self._asked = "result"
        self.work.request(lambda: (prediction, prepared, path,
                                   shown_layers_traced(prediction, threshold, label, keep, prepared, outlined)))

    def _landed(self, made: tuple[Prediction | None, PreparedResult | None, Path | None, ShownLayers]) -> None:
        """The worker's layer arrays of the shown prediction (stale ones were dropped by :class:`ShownWork`)."""
        if self.standby.waits():  # a video opened meanwhile: its frame's layers stay; image mode catches up
            return
        self._take(made)

    def _take(self, made: tuple[Prediction | None, PreparedResult | None, Path | None, ShownLayers]) -> None:
        """Show the layer arrays made of the shown prediction (here or on the worker)."""
        prediction, prepared, path, (arrays, self.codes, outlines) = made
        self._path = path
        self.overlays.show(arrays, prepared_drawn(prepared, arrays), outlines)
        self.layer_list.set_arrays(self.arrays, None if prediction is None else prediction.tau)  # the legend's range, τ
        self.hover.refresh(self.arrays, self.label)  # another image or τ under a still mouse
        self._changed()
        self.lend_probability()

    def lend_probability(self) -> None:
        """Model-assisted labeling (:mod:`app.analysis.assist`): the shown prediction to the tools."""
        lend_probability(self.window, self.window.session.current_path, self.prediction,
                         self.arrays.get("prediction mask"), self.settings)

    def on_threshold(self, changed: str = "threshold") -> None:
        """The threshold or the region rule (`changed`: "keep") moved: recompute and redraw only what
        depends on them (the prediction mask and the error map), no inference; a huge image's on the
        worker (:func:`~app.analysis.shown_work.thresholded_traced`), its last mask shown until they come,
        an answer for a threshold no longer set dropped."""
        if self.prediction is None:
            return
        self._keep_moved = self._keep_moved or changed == "keep"
        if self.work.pending and self._asked == "result":  # the shown result's arrays still being made:
            self._request()  # made again at these settings
            return
        if not huge(self.prediction.shape):
            self._take_thresholded(ShownLayers(thresholded_arrays(
                self.prediction, self.settings.threshold, self.label, self.settings.keep, self.codes), self.codes, {}))
            return
        prediction, label, codes = self.prediction, self.label, self.codes
        threshold, keep = self.settings.threshold, self.settings.keep
        outlined = outlined_layers(self.overlays.layers)  # (those of the arrays made: the thresholded ones)
        self._asked = "threshold"
        self.work.request(lambda: thresholded_traced(prediction, threshold, label, keep, codes, outlined),
                          self._thresholded_landed)

    def _thresholded_landed(self, made: ShownLayers) -> None:
        """The worker's threshold-dependent arrays of the shown prediction (stale ones were dropped)."""
        if self.standby.waits():  # a video opened meanwhile: image mode catches up when it comes back
            return
        self._take_thresholded(made)

    def _take_thresholded(self, made: ShownLayers) -> None:
        """Show the threshold-dependent arrays made at the settings of now (here or on the worker)."""
        self.overlays.refresh_thresholded(made.arrays, made.outlines)
        self.hover.refresh(self.arrays, self.label)  # "in mask" and the error under a still mouse
        self._changed()
        if self.settings.keep != "plain" or self._keep_moved:
            self.lend_probability()  # the rule's regions depend on the threshold too
        self._keep_moved = False


def _fits(prepared: PreparedResult | None, prediction: Prediction, settings: AnalysisSettings,
          label: np.ndarray | None) -> bool:
    """Whether `prepared` holds `prediction`'s layer arrays at `settings` against `label` (as
    :func:`~app.analysis.prepared.shown_layers` takes them)."""
    return (prepared is not None and prepared.fits(prediction, settings.threshold, settings.keep)
            and prepared.fitting_label is label)


def prepared_outlines(prepared: PreparedResult | None, arrays: dict[str, np.ndarray]) -> dict[str, TracedOutline]:
    """`prepared`'s outlines traced of the arrays `arrays` shows (the very same objects), else none."""
    if prepared is None:
        return {}
    return {name: outline for name, outline in prepared.outlines.items()
            if name in arrays and arrays[name] is prepared.arrays.get(name)}
