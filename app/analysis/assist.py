"""Model-assisted labeling: what the analysis view lends the annotation tools.

The Model panel's mask threshold and the annotation tools' (accept prediction, threshold to mask,
threshold brush) follow each other, so what is accepted is what is shown; and the tools (wand,
threshold brush, accept prediction) get the shown prediction's probability, with the regions the
region rule drops at 0. A window without annotation tools gets neither.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from fosp_core.analysis.settings import AnalysisSettings
from fosp_core.infer.result import Prediction
from fosp_core.metrics.decision import drop_outside

if TYPE_CHECKING:
    from app.host import AppWindow

__all__ = ["lend_probability", "share_threshold"]


def share_threshold(window: AppWindow, settings: AnalysisSettings) -> None:
    """Bind `settings`' threshold and the annotation tools' both ways (the tools take it now)."""
    annotation = getattr(window, "annotation", None)
    if annotation is None:
        return
    tools = annotation.controller.state
    tools.set_threshold(settings.threshold)
    settings.events.changed.connect(lambda name: name == "threshold" and tools.set_threshold(settings.threshold))
    tools.changed.connect(lambda name: name == "threshold" and settings.set_threshold(tools.threshold))


def lend_probability(window: AppWindow, path: Path | None, prediction: Prediction | None,
                     mask: np.ndarray | None, settings: AnalysisSettings) -> None:
    """Give the annotation tools of image `path` the probability of `prediction` (None: take it
    back); `mask` is the shown prediction mask, which holds the regions the rule keeps."""
    annotation = getattr(window, "annotation", None)
    if annotation is None or path is None:
        return
    probability = None
    if prediction is not None:
        probability = prediction.probability
        if settings.keep != "plain" and mask is not None:  # the mask layer already holds the kept regions
            probability = drop_outside(probability, mask, settings.threshold)
    annotation.controller.set_probability(path, probability)
