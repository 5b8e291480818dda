"""The training side of the model API: build a model from a config, its starting weights, the loss,
validation probabilities, and best-checkpoint files.

Starting points (`[model]` in the config), applied in this order:

1. `build_model(name, **overrides)`: random weights (from scratch);
2. `pretrained_backbone`: ImageNet MiT weights the user owns (HF or mmseg files) through
   `fosp_core.checkpoint.load_pretrained_backbone`;
3. `init_from`: a FoSp checkpoint (safetensors; e.g. the committed fp16 default) loaded strictly
   into the whole model: fine-tuning, or continuing training on another machine;
4. `inpainter`: pre-trained inpainter weights (`fosp train-inpainter`), loaded and frozen.

A checkpoint of another variant raises `StartError` naming both variants.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch
from torch import nn

from fosp_core.io.atomic import atomic_target
from fosp_core.train.config import Config
from fosp_core.train.progress import json_safe
from fosp_core.train.state import CheckpointSaveError, atomic_write


class StartError(ValueError):
    """Starting weights cannot be used (missing file, another variant, mismatching keys)."""


def unwrap(model: nn.Module) -> nn.Module:
    """The bare model inside DistributedDataParallel (or the model itself)."""
    return model.module if hasattr(model, "module") and isinstance(model, nn.parallel.DistributedDataParallel) else model


def model_config_dict(model: nn.Module) -> dict[str, Any] | None:
    """The model's JSON-able config (`model.config.to_dict()`), or None."""
    cfg = getattr(unwrap(model), "config", None)
    if cfg is None:
        return None
    return json.loads(json.dumps(cfg.to_dict() if hasattr(cfg, "to_dict") else dict(cfg)))


def model_name(model: nn.Module) -> str:
    m = unwrap(model)
    return str(getattr(m, "name", None) or getattr(getattr(m, "config", None), "name", type(m).__name__))


def build(cfg: Config, log: Any = print) -> nn.Module:
    """The model of `cfg.model` with its starting weights (see module doc), on the CPU."""
    from fosp_core.model.registry import build_model

    mc = cfg.model
    try:
        model = build_model(mc.name, **mc.overrides)
    except (KeyError, ValueError, TypeError) as exc:
        raise StartError(f"{cfg.source or 'config'}: model {mc.name!r} with overrides {mc.overrides}: {exc}") from exc
    if mc.pretrained_backbone:
        from fosp_core.checkpoint import load_pretrained_backbone

        path = _existing(mc.pretrained_backbone, "model.pretrained_backbone", cfg)
        try:
            load_pretrained_backbone(model, path)
        except (KeyError, ValueError, RuntimeError) as exc:
            raise StartError(f"model.pretrained_backbone {path}: {exc}") from exc
        log(f"backbone weights from {path}")
    if mc.init_from:
        path = _existing(mc.init_from, "model.init_from", cfg)
        load_fosp_weights(model, path)
        log(f"model weights from {path}")
    if mc.inpainter:
        path = _existing(mc.inpainter, "model.inpainter", cfg)
        if getattr(model, "inpainter", None) is None:
            raise StartError(f"model.inpainter is set but {mc.name!r} has no inpainter (no Separation module)")
        load_inpainter_weights(model, path)
        log(f"inpainter weights from {path} (frozen)")
    elif getattr(model, "inpainter", None) is not None and not mc.init_from:
        log("warning: model.inpainter is not set: the Separation module's inpainter keeps random weights; "
            "pre-train one with `fosp train-inpainter` and pass model.inpainter=<run>/best.safetensors")
    freeze_inpainter(model)
    return model


def _existing(path: str, key: str, cfg: Config) -> Path:
    p = Path(path).expanduser()
    if p.is_dir():
        from fosp_core.checkpoint import CheckpointError, resolve_checkpoint

        try:  # a recipe names its weights file; a run folder's would change when the run goes on
            found, _ = resolve_checkpoint(p)
            hint = f"a folder, not a weights file; give the file inside it, e.g. {key}={found}"
        except CheckpointError as exc:
            hint = str(exc)
        raise StartError(f"{cfg.where(key)}: {key} = {path!r}: {hint}")
    if not p.is_file():
        raise StartError(f"{cfg.where(key)}: {key} = {path!r}: no such file")
    return p


def load_fosp_weights(model: nn.Module, path: Path) -> None:
    """Load a FoSp checkpoint strictly (`fosp_core.checkpoint.load_state_into`; fp16 files load into
    fp32 models); `StartError` for another variant or mismatching keys, naming both variants."""
    from fosp_core.checkpoint import load_state_into

    try:
        load_state_into(model, path)
    except (KeyError, ValueError, RuntimeError, OSError) as exc:
        raise StartError(f"cannot start {model_name(model)!r} from {path}: {exc}") from exc


def load_inpainter_weights(model: nn.Module, path: Path) -> None:
    """Load pre-trained inpainter weights (from `fosp train-inpainter`, or the inpainter part of a FoSp
    checkpoint) into `model.inpainter`, or into `model` when it is an inpainter; the configs must match."""
    from fosp_core.checkpoint import load_inpainter_weights as load

    try:
        load(model, path)
    except (KeyError, ValueError, RuntimeError, OSError) as exc:
        raise StartError(f"cannot load inpainter weights {path}: {exc}") from exc


def freeze_inpainter(model: nn.Module) -> None:
    """The Separation module's inpainter is pre-trained and frozen during FoSp training."""
    inp = getattr(unwrap(model), "inpainter", None)
    if inp is not None:
        inp.requires_grad_(False)
        inp.eval()


def loss(output: Any, target: torch.Tensor, model_config: Any = None) -> tuple[torch.Tensor, dict[str, float]]:
    """`fosp_loss(output, target, config)` (Eq. 8-9; the config's lambdas); target int64 BxHxW 0/1/255.
    Parts are floats for logging (`total` is dropped: the log has `loss`)."""
    from fosp_core.model.losses import fosp_loss

    total, parts = fosp_loss(output, target, model_config)
    return total, {k: float(v) for k, v in parts.items() if k != "total"}


def probability(output: Any, size: tuple[int, int]) -> torch.Tensor:
    """Smoke probability Bx1xHxW (float32) at `size` from a model output."""
    logits = output.upsampled(size)
    return torch.sigmoid(logits.float())


def save_weights(model: nn.Module, path: Path, metadata: dict[str, Any] | None = None,
                 dtype: torch.dtype | None = None) -> None:
    """Atomically save the model as a FoSp safetensors checkpoint (`fosp_core.checkpoint`).

    Raises `CheckpointSaveError` when the disk is full; the previous file at `path` survives.
    """
    from fosp_core.checkpoint import save_checkpoint

    path = Path(path)
    kwargs: dict[str, Any] = {"extra_metadata": {k: v if isinstance(v, str) else json.dumps(v)
                                                 for k, v in (metadata or {}).items()}}
    if dtype is not None:
        kwargs["dtype"] = dtype
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_target(path) as tmp:
            save_checkpoint(unwrap(model), tmp, **kwargs)
    except OSError as exc:
        raise CheckpointSaveError(path, exc) from exc


def save_json(path: Path, data: Any) -> None:
    """Atomic strict-JSON file (indent 2): NaN and infinite floats are written as null, as the run
    log writes them (a bare NaN is not JSON; jq and browsers refuse the file)."""
    text = json.dumps(json_safe(data), indent=2, allow_nan=False) + "\n"
    atomic_write(Path(path), lambda f: f.write(text.encode()))
