"""What the inference thread makes of a result before the GUI thread takes it.

Each result of a 1920×1080 image cost the GUI thread, in the one event-loop turn that also summarises
it for the worklist and before the canvas repaints: reading its label (a PNG) and scoring it for the
metrics box (15-35 ms), and for the image shown the layer arrays (the mask at the threshold, the τ
contour, the error map: 6-8 ms) and, for the first result, reading colormap files (~10 ms).
:func:`prepare_result` does that work on the inference thread, at the threshold and region rule the
run was asked at (:func:`result_preparer`); the view takes it where those settings and the label file
are still the same (:func:`shown_layers`, :meth:`~app.analysis.readouts.ScoreReadout.score`), else
it computes as before. Numpy and files only (and pyqtgraph's colormap files): safe on any thread.

The maps a letterboxed prediction holds at the network's grid (Focus Map, hole, background,
energies: :class:`~fosp_core.infer.gridmap.GridMap`) are brought to the image's size here too for
the layers shown when the run was asked (`drawn`: 0.5-2.6 s at 48 MP that drawing them cost the GUI
thread); the view holds those full arrays while the layers are shown, the result cache only the
grids (:mod:`app.analysis.deferred_overlays`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import numpy as np

from app.analysis.layer_drawing import TracedOutline, outlined_layers, trace_outlines
from app.analysis.render import lookup_table
from app.analysis.upsampler import deferred, upsample
from fosp_core.analysis.layers import LayerStack, Outline, layer_arrays
from fosp_core.analysis.results import error_codes, image_scores, label_delta, read_label
from fosp_core.analysis.scorebook import ImageScore, LabelStamp, label_stamp
from fosp_core.infer.gridmap import GridMap
from fosp_core.infer.result import Prediction

__all__ = ["PreparedResult", "prepare_result", "prepared_drawn", "result_preparer", "shown_layers"]


@dataclass(frozen=True)
class PreparedResult:
    """What :func:`prepare_result` made of `prediction` at mask `threshold` and region rule `keep`.

    stamp: the image's label file as read (None: it has none); label: its mask as read (uint8 (H, W),
    None when unreadable), kept by the view with the stamp; score: the prediction's scores against a
    label of its size (None: nothing to score); codes: :func:`error_codes` of that label;
    arrays: ``layer_arrays(prediction, threshold, <that label or None>, keep, codes)``;
    drawn: the full-size arrays of those of `arrays` held at the grid (``full()``) that were asked
    for (the layers shown), name -> array.
    """

    prediction: Prediction
    threshold: float
    keep: str
    stamp: LabelStamp | None
    label: np.ndarray | None
    score: ImageScore | None
    codes: np.ndarray | None
    arrays: dict[str, np.ndarray]
    drawn: dict[str, np.ndarray] = field(default_factory=dict)
    outlines: dict[str, TracedOutline] = field(default_factory=dict)  # of `arrays` shown (trace_outline)

    def fits(self, prediction: Prediction, threshold: float, keep: str) -> bool:
        """Whether this was made of `prediction` (the same object) at `threshold` and `keep`."""
        return self.prediction is prediction and self.threshold == float(threshold) and self.keep == keep

    @property
    def fitting_label(self) -> np.ndarray | None:
        """The label when it is of the prediction's size (what was scored and drawn), else None."""
        label = self.label
        return label if label is not None and label.shape == self.prediction.shape else None


def prepare_result(path: Path, prediction: Prediction, threshold: float, keep: str,
                   styles: Iterable[tuple[str, str]] = (), shown: Iterable[str] = (),
                   outlined: Iterable[tuple[str, Outline]] = ()) -> PreparedResult:
    """Read image `path`'s label, score `prediction` against it and make its layer arrays (see
    :class:`PreparedResult`); `styles`: the layers' (kind, colormap), whose lookup tables are made
    now (cached) so that drawing the first result reads no colormap file on the GUI thread; `shown`:
    the layers whose full-size arrays are made now where they are held at the grid (`drawn`);
    `outlined`: (name, outline) of the shown layers whose outline is traced now (`outlines`, where
    the array is at the image's size already: the masks, the τ contour)."""
    for kind, colormap in styles:
        lookup_table(kind, colormap)
    stamp = label_stamp(path)
    label = None if stamp is None else read_label(stamp.path)
    fitting = label if label is not None and label.shape == prediction.shape else None
    score = codes = None
    if fitting is not None:
        score = ImageScore(image_scores(prediction, fitting, threshold, keep), label_delta(fitting))
        codes = error_codes(fitting)
    arrays = layer_arrays(prediction, threshold, fitting, keep, codes)
    drawn: dict[str, np.ndarray] = {}
    for name in shown:
        source = arrays.get(name)
        if source is not None and deferred(source):
            drawn[name] = upsample(source)
    return PreparedResult(prediction, float(threshold), keep, stamp, label, score, codes, arrays, drawn,
                          trace_outlines(arrays, outlined))


def result_preparer(layers: LayerStack, threshold: float, keep: str,
                    draw: bool = False) -> Callable[[Path, Prediction], PreparedResult]:
    """:func:`prepare_result` at `threshold` and `keep`, with `layers`' styles as they are now, as a
    function of the image path and prediction for the inference thread (it reads nothing of `layers`);
    `draw`: the full-size arrays of the layers visible now are made too (the image shown's run: a
    Run on all's other images would spend seconds each on maps no one draws)."""
    styles = tuple((layer.kind, layer.colormap) for layer in layers)
    shown = tuple(layer.name for layer in layers if layer.visible) if draw else ()
    outlined = outlined_layers(layers) if draw else ()
    return partial(prepare_result, threshold=float(threshold), keep=keep, styles=styles, shown=shown,
                   outlined=outlined)


def prepared_drawn(prepared: PreparedResult | None, arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """`prepared`'s full arrays (`drawn`) of the maps `arrays` shows (the very same objects), else none."""
    if prepared is None:
        return {}
    return {name: full for name, full in prepared.drawn.items()
            if name in arrays and arrays[name] is prepared.arrays.get(name)}


def shown_layers(prediction: Prediction, threshold: float, label: np.ndarray | None, keep: str,
                 prepared: PreparedResult | None) -> tuple[dict[str, np.ndarray], np.ndarray | None]:
    """(``layer_arrays(prediction, threshold, label, keep, codes)``, codes: `label`'s
    :func:`error_codes` or None): `prepared`'s when it :meth:`~PreparedResult.fits` and drew `label`
    (the same array, or both None), else computed here, where the τ contour of a hole held at the
    grid is its :meth:`~fosp_core.infer.gridmap.GridMap.boundary` (made when drawn, on a worker)."""
    if prepared is not None and prepared.fits(prediction, threshold, keep) and prepared.fitting_label is label:
        return dict(prepared.arrays), prepared.codes
    codes = None if label is None else error_codes(label)
    hole = prediction.hole
    if not isinstance(hole, GridMap) or hole.kind != "mask":
        return layer_arrays(prediction, threshold, label, keep, codes), codes
    # the τ contour of a hole held at the grid: made when drawn (off this thread), not here
    arrays = layer_arrays(replace(prediction, hole=None), threshold, label, keep, codes)
    arrays["hole"], arrays["τ contour"] = hole, hole.boundary()
    return arrays, codes
