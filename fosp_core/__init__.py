"""FoSp Studio core: model, data, metrics, training, inference, formats, annotation (no Qt).

Used as a library (docs/library.md)::

    import fosp_core
    pred = fosp_core.predict("photo.jpg")      # the bundled default model
    pred.probability                           # float32 (H, W) in [0, 1]
    pred.mask(0.5)                             # uint8 (H, W), 1 = smoke
    predictor = fosp_core.load_predictor()     # keep it for many images: predict / predict_batch
    scores = fosp_core.per_image_scores(pred.probability, label)   # label uint8 (H, W) 0/1/255

The names below, and the subpackages (``fosp_core.metrics``, ``fosp_core.paths`` ...), are imported
on first use (PEP 562): ``import fosp_core`` stays light (no torch).
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from fosp_core.data.datasets import open_dataset
    from fosp_core.data.smokeseg import write_smokeseg
    from fosp_core.infer.api import default_checkpoint, load_predictor, predict
    from fosp_core.infer.inputs import as_rgb
    from fosp_core.infer.predictor import Predictor
    from fosp_core.infer.result import Prediction
    from fosp_core.io.images import read_image
    from fosp_core.io.masks import read_mask, write_mask_png
    from fosp_core.mask_warnings import LabelEncodingWarning, MaskWarning, NotAMaskWarning
    from fosp_core.metrics.accumulate import MetricAccumulator
    from fosp_core.metrics.scores import per_image_scores, sod_image_scores

#: Public name -> the module that defines it (imported when the name is first used).
_LAZY: dict[str, str] = {
    **dict.fromkeys(["default_checkpoint", "load_predictor", "predict"], "fosp_core.infer.api"),
    "as_rgb": "fosp_core.infer.inputs",
    "Predictor": "fosp_core.infer.predictor",
    "Prediction": "fosp_core.infer.result",
    "read_image": "fosp_core.io.images",
    **dict.fromkeys(["read_mask", "write_mask_png"], "fosp_core.io.masks"),
    **dict.fromkeys(["LabelEncodingWarning", "MaskWarning", "NotAMaskWarning"], "fosp_core.mask_warnings"),
    "open_dataset": "fosp_core.data.datasets",
    "write_smokeseg": "fosp_core.data.smokeseg",
    "MetricAccumulator": "fosp_core.metrics.accumulate",
    **dict.fromkeys(["per_image_scores", "sod_image_scores"], "fosp_core.metrics.scores"),
}

__all__ = [
    "LabelEncodingWarning",
    "MaskWarning",
    "MetricAccumulator",
    "NotAMaskWarning",
    "Prediction",
    "Predictor",
    "__version__",
    "as_rgb",
    "default_checkpoint",
    "load_predictor",
    "open_dataset",
    "per_image_scores",
    "predict",
    "read_image",
    "read_mask",
    "sod_image_scores",
    "write_mask_png",
    "write_smokeseg",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        if (name.isidentifier() and not name.startswith("_")  # "x.y" is no attribute (hasattr: False)
                and importlib.util.find_spec(f"{__name__}.{name}") is not None):
            return importlib.import_module(f"{__name__}.{name}")  # fosp_core.metrics without importing it first
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
