"""Model registry: names -> configurations -> models (a plain dict, like SAM's ``build_sam``).

Names: ``fosp-s`` (MiT-B0, the paper's small FoSp), ``fosp`` (MiT-B3, the paper's FoSp),
``fosp-b0`` ... ``fosp-b5``, ``segformer-b0`` ... ``segformer-b5`` (MiT + all-MLP head, 256 channels).
``build_model(name, **overrides)`` accepts any ``ModelConfig`` field as an override, plus
``ablation="a".."e"`` for the rows of the paper's Table 4.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from fosp_core.model.config import ModelConfig, apply_ablation
from fosp_core.model.fosp import FoSp

__all__ = ["available_models", "build_from_config", "build_model", "model_config", "register_model"]

_REGISTRY: dict[str, Callable[[], ModelConfig]] = {}


def register_model(name: str, make_config: Callable[[], ModelConfig]) -> None:
    """Add a variant; ``make_config`` returns a fresh ModelConfig whose ``name`` is ``name``."""
    if name in _REGISTRY:
        raise ValueError(f"model {name!r} is already registered")
    _REGISTRY[name] = make_config


def _fosp(name: str, backbone: str) -> Callable[[], ModelConfig]:
    return lambda: ModelConfig(name=name, backbone=backbone)


def _segformer(name: str, backbone: str) -> Callable[[], ModelConfig]:
    return lambda: apply_ablation(ModelConfig(name=name, backbone=backbone), "a")


register_model("fosp-s", _fosp("fosp-s", "mit_b0"))
register_model("fosp", _fosp("fosp", "mit_b3"))
for _i in range(6):
    register_model(f"fosp-b{_i}", _fosp(f"fosp-b{_i}", f"mit_b{_i}"))
for _i in range(6):
    register_model(f"segformer-b{_i}", _segformer(f"segformer-b{_i}", f"mit_b{_i}"))


def available_models() -> list[str]:
    """Registered model names."""
    return list(_REGISTRY)


def model_config(name: str, **overrides: Any) -> ModelConfig:
    """The configuration ``build_model(name, **overrides)`` would use."""
    if name not in _REGISTRY:
        raise ValueError(f"unknown model {name!r}; available: {', '.join(available_models())}")
    cfg = _REGISTRY[name]()
    ablation = overrides.pop("ablation", None)
    if ablation is not None:
        cfg = apply_ablation(cfg, str(ablation))
    if overrides:
        fields = {f.name for f in dataclasses.fields(ModelConfig)}
        unknown = sorted(set(overrides) - fields)
        if unknown:
            raise TypeError(
                f"unknown option(s) {unknown} for model {name!r}; valid: {sorted(fields | {'ablation'})}"
            )
        cfg = dataclasses.replace(cfg, **overrides)
    return cfg


def build_model(name: str, **overrides: Any) -> FoSp:
    """A freshly initialised model of variant ``name`` (see module docstring for the overrides)."""
    return build_from_config(model_config(name, **overrides))


def build_from_config(config: ModelConfig) -> FoSp:
    """A freshly initialised model for ``config`` (e.g. read from a checkpoint)."""
    return FoSp(config)
