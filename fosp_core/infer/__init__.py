"""Inference: numpy-in/numpy-out predictor, tiling, batched streams over folders and videos.

    from fosp_core.infer import Predictor
    pred = Predictor(model_or_checkpoint, device="auto").predict(rgb)   # rgb: RGB uint8 (H, W, 3)
    pred.probability, pred.mask(0.5), pred.focus_map, pred.hole, pred.background, ...

`rgb` may also be a PIL image or a file path; `as_rgb` converts other arrays (16-bit, float, RGBA).
`fosp_core.load_predictor()` gives a Predictor of the bundled default model; docs/library.md.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fosp_core.infer.devices import DeviceError, resolve_device, resolve_precision, supported_precisions
    from fosp_core.infer.inputs import ImageInput, NotAnImageError, as_rgb
    from fosp_core.infer.predictor import (
        DeviceFallbackWarning,
        InferenceError,
        Predictor,
        check_image,
        probability_fn,
    )
    from fosp_core.infer.result import ALL_NEEDS, DEFAULT_NEEDS, DEFAULT_THRESHOLD, Prediction
    from fosp_core.infer.stream import CancelToken, Frame, Progress, iter_image_files, predict_stream

#: Public name -> the module that defines it. Imported on first use (PEP 562), so importing a light
#: submodule (`fosp_core.infer.video`, `.stream`, `.result`) does not import torch with the package:
#: the commands that run no model (`fosp video export`, `fosp --help`) start without it.
_LAZY: dict[str, str] = {
    **dict.fromkeys(["DeviceError", "resolve_device", "resolve_precision", "supported_precisions"], "devices"),
    **dict.fromkeys(["DeviceFallbackWarning", "InferenceError", "Predictor", "check_image", "probability_fn"],
                    "predictor"),
    **dict.fromkeys(["ImageInput", "NotAnImageError", "as_rgb"], "inputs"),
    **dict.fromkeys(["ALL_NEEDS", "DEFAULT_NEEDS", "DEFAULT_THRESHOLD", "Prediction"], "result"),
    **dict.fromkeys(["CancelToken", "Frame", "Progress", "iter_image_files", "predict_stream"], "stream"),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "ALL_NEEDS",
    "DEFAULT_NEEDS",
    "DEFAULT_THRESHOLD",
    "CancelToken",
    "DeviceError",
    "DeviceFallbackWarning",
    "Frame",
    "ImageInput",
    "InferenceError",
    "NotAnImageError",
    "Prediction",
    "Predictor",
    "Progress",
    "as_rgb",
    "check_image",
    "iter_image_files",
    "predict_stream",
    "probability_fn",
    "resolve_device",
    "resolve_precision",
    "supported_precisions",
]
