"""Inference: numpy-in/numpy-out predictor, tiling, batched streams over folders and videos.

    from fosp_core.infer import Predictor
    pred = Predictor(model_or_checkpoint, device="auto").predict(rgb)   # rgb: RGB uint8 (H, W, 3)
    pred.probability, pred.mask(0.5), pred.focus_map, pred.hole, pred.background, ...
"""

from fosp_core.infer.devices import DeviceError, resolve_device, resolve_precision, supported_precisions
from fosp_core.infer.predictor import (
    DeviceFallbackWarning,
    InferenceError,
    Predictor,
    check_image,
    probability_fn,
)
from fosp_core.infer.result import ALL_NEEDS, DEFAULT_NEEDS, DEFAULT_THRESHOLD, Prediction
from fosp_core.infer.stream import CancelToken, Frame, Progress, iter_image_files, predict_stream

__all__ = [
    "ALL_NEEDS",
    "DEFAULT_NEEDS",
    "DEFAULT_THRESHOLD",
    "CancelToken",
    "DeviceError",
    "DeviceFallbackWarning",
    "Frame",
    "InferenceError",
    "Prediction",
    "Predictor",
    "Progress",
    "check_image",
    "iter_image_files",
    "predict_stream",
    "probability_fn",
    "resolve_device",
    "resolve_precision",
    "supported_precisions",
]
