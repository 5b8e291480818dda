"""What the inference thread makes of a result before the GUI thread takes it.

Each result of a 1920×1080 image cost the GUI thread, in the one event-loop turn that also summarises
it for the worklist and before the canvas repaints: reading its label (a PNG) and scoring it for the
metrics box (15-35 ms), and for the image shown the layer arrays (the mask at the threshold, the τ
contour, the error map: 6-8 ms) and, for the first result, reading colormap files (~10 ms).
:func:`prepare_result` does that work on the inference thread, at the threshold and region rule the
run was asked at (:func:`result_preparer`); the view takes it where those settings and the label file
are still the same (:func:`shown_layers`, :meth:`~app.analysis.readouts.ScoreReadout.score`), else
it computes as before. Numpy and files only (and pyqtgraph's colormap files): safe on any thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np

from app.analysis.render import lookup_table
from fosp_core.analysis.layers import LayerStack, layer_arrays
from fosp_core.analysis.results import error_codes, image_scores, label_delta, read_label
from fosp_core.analysis.scorebook import ImageScore, LabelStamp, label_stamp
from fosp_core.infer.result import Prediction

__all__ = ["PreparedResult", "prepare_result", "result_preparer", "shown_layers"]


@dataclass(frozen=True)
class PreparedResult:
    """What :func:`prepare_result` made of `prediction` at mask `threshold` and region rule `keep`.

    stamp: the image's label file as read (None: it has none); label: its mask as read (uint8 (H, W),
    None when unreadable), kept by the view with the stamp; score: the prediction's scores against a
    label of its size (None: nothing to score); codes: :func:`error_codes` of that label;
    arrays: ``layer_arrays(prediction, threshold, <that label or None>, keep, codes)``.
    """

    prediction: Prediction
    threshold: float
    keep: str
    stamp: LabelStamp | None
    label: np.ndarray | None
    score: ImageScore | None
    codes: np.ndarray | None
    arrays: dict[str, np.ndarray]

    def fits(self, prediction: Prediction, threshold: float, keep: str) -> bool:
        """Whether this was made of `prediction` (the same object) at `threshold` and `keep`."""
        return self.prediction is prediction and self.threshold == float(threshold) and self.keep == keep

    @property
    def fitting_label(self) -> np.ndarray | None:
        """The label when it is of the prediction's size (what was scored and drawn), else None."""
        label = self.label
        return label if label is not None and label.shape == self.prediction.shape else None


def prepare_result(path: Path, prediction: Prediction, threshold: float, keep: str,
                   styles: Iterable[tuple[str, str]] = ()) -> PreparedResult:
    """Read image `path`'s label, score `prediction` against it and make its layer arrays (see
    :class:`PreparedResult`); `styles`: the layers' (kind, colormap), whose lookup tables are made
    now (cached) so that drawing the first result reads no colormap file on the GUI thread."""
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
    return PreparedResult(prediction, float(threshold), keep, stamp, label, score, codes, arrays)


def result_preparer(layers: LayerStack, threshold: float,
                    keep: str) -> Callable[[Path, Prediction], PreparedResult]:
    """:func:`prepare_result` at `threshold` and `keep`, with `layers`' styles as they are now, as a
    function of the image path and prediction for the inference thread (it reads nothing of `layers`)."""
    styles = tuple((layer.kind, layer.colormap) for layer in layers)
    return partial(prepare_result, threshold=float(threshold), keep=keep, styles=styles)


def shown_layers(prediction: Prediction, threshold: float, label: np.ndarray | None, keep: str,
                 prepared: PreparedResult | None) -> tuple[dict[str, np.ndarray], np.ndarray | None]:
    """(``layer_arrays(prediction, threshold, label, keep, codes)``, codes: `label`'s
    :func:`error_codes` or None): `prepared`'s when it :meth:`~PreparedResult.fits` and drew `label`
    (the same array, or both None), else computed here."""
    if prepared is not None and prepared.fits(prediction, threshold, keep) and prepared.fitting_label is label:
        return dict(prepared.arrays), prepared.codes
    codes = None if label is None else error_codes(label)
    return layer_arrays(prediction, threshold, label, keep, codes), codes
