"""Entry points for scripts and notebooks: the default model in one call.

    import fosp_core
    pred = fosp_core.predict("photo.jpg")                 # the bundled default model, on the CPU or GPU
    predictor = fosp_core.load_predictor(device="cpu")    # a Predictor to keep (or a checkpoint of yours)

`checkpoint` is what ``fosp predict --checkpoint`` takes: None for the default model (the first
``fosp-default.safetensors`` on the model search path, `fosp_core.paths.model_search_path`), a
checkpoint file, a training run's folder or a run's name, or an ``nn.Module``.
"""

from __future__ import annotations

import threading
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from torch import nn

    from fosp_core.infer.inputs import ImageInput
    from fosp_core.infer.predictor import Predictor
    from fosp_core.infer.result import Prediction

__all__ = ["default_checkpoint", "load_predictor", "predict"]

_kept_lock = threading.Lock()
_kept: tuple[tuple[Any, ...], Predictor] | None = None  # predict()'s predictor, reused while its key holds


def default_checkpoint() -> Path:
    """The bundled default model's file. NoDefaultModelError (a LookupError) naming the folders
    searched when there is none (set $FOSP_MODELS to a folder holding fosp-default.safetensors, or
    pass checkpoint=FILE)."""
    from fosp_core.checkpoint_resolve import default_checkpoint as find_default

    return find_default("pass checkpoint=FILE, or set FOSP_MODELS to the folder that holds it")


def checkpoint_path(checkpoint: str | Path | None) -> Path:
    """The file `checkpoint` means (see the module docstring); CheckpointError when there is none."""
    if checkpoint is None:
        return default_checkpoint()
    from fosp_core.checkpoint_resolve import checkpoint_file

    path, note = checkpoint_file(checkpoint)
    if note:
        warnings.warn(note, UserWarning, stacklevel=3)
    return path


def load_predictor(checkpoint: str | Path | nn.Module | None = None, **options: Any) -> Predictor:
    """A Predictor of `checkpoint` (None: the default model). `options` are Predictor's: device
    ("auto": CUDA, then MPS, then the CPU), precision, input_size, tiled, tau, batch_size ...

    Raises NoDefaultModelError / CheckpointError (both say where they looked) or DeviceError.
    """
    from fosp_core.infer.predictor import Predictor

    model = checkpoint if _is_module(checkpoint) else checkpoint_path(checkpoint)  # type: ignore[arg-type]
    return Predictor(model, **options)


def predict(image: ImageInput, checkpoint: str | Path | nn.Module | None = None, *, tau: float | None = None,
            need: Any = None, **options: Any) -> Prediction:
    """Segment one image (RGB uint8 (H, W, 3) array, PIL image or file path) with `checkpoint`
    (None: the default model) and return its `Prediction` (probability float32 (H, W) in [0, 1],
    ``mask(threshold)``, focus_map, hole, ... see `fosp_core.infer.result.Prediction`).

    need: the optional maps ("focus", "hole", "background", "foreground", "side" or "all").
    tau: the Focus threshold of this call (None: `options`' tau, else the model's default).
    options: Predictor's (device, precision, input_size, tiled ...). The predictor made for a
    checkpoint file is kept for the next call with the same file and options (one at a time); for
    many images or your own control, use `load_predictor` and its predict / predict_batch.
    """
    global _kept
    if _is_module(checkpoint):
        return load_predictor(checkpoint, **options).predict(image, tau=tau, need=need)
    path = checkpoint_path(checkpoint)  # type: ignore[arg-type]
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size, tuple(sorted(options.items())))
    with _kept_lock:
        kept = _kept
        if kept is None or kept[0] != key:
            _kept = None  # the old one's memory goes before the new one loads
            kept = (key, load_predictor(path, **options))
            _kept = kept
    predictor = kept[1]
    if tau is None:  # each call's own: a tau of an earlier call does not stay
        tau = options.get("tau", predictor.runner.default_tau)
    return predictor.predict(image, tau=tau, need=need)


def forget_predictor() -> None:
    """Drop the predictor `predict` keeps (its model's memory is freed when nothing else holds it)."""
    global _kept
    with _kept_lock:
        _kept = None


def _is_module(obj: object) -> bool:
    return hasattr(obj, "state_dict") and hasattr(obj, "eval")
