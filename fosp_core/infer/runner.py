"""The one place that knows the model's calling convention.

`ModelRunner.encode(x)` runs everything that does not depend on tau (backbone + Focus module);
`ModelRunner.decode(x, state, tau, need)` runs the rest (hole, separation, fusion) and returns the
maps the predictor needs as a dict of (B, C, h, w) tensors over the network input. Models without a
staged API (the SegFormer baselines) run whole in `encode` and `decode` only reads the result.
"""

from __future__ import annotations

import inspect
from typing import Any

import torch
from torch import nn

from fosp_core.infer.result import NEED_BACKGROUND, NEED_FOCUS, NEED_FOREGROUND, NEED_HOLE, NEED_SIDE

DEFAULT_TAU = 0.15
SIDE_KEYS = ("g32", "g16", "g8", "g4")


FOREGROUND_STRIDES: tuple[int, ...] = (32, 16, 8, 4)


def foreground_energy(feature: torch.Tensor) -> torch.Tensor:
    """(B, C, h, w) foreground features -> (B, 1, h, w) RMS over channels."""
    f = feature.float()
    return f.pow(2).mean(dim=1, keepdim=True).sqrt()


class ModelRunner:
    """Adapter around a FoSp / SegFormer module (see the module docstring)."""

    def __init__(self, model: nn.Module) -> None:
        self.model = model
        self.staged = callable(getattr(model, "encode", None)) and callable(getattr(model, "decode", None))
        self._decode_kwargs = _accepted_kwargs(model.decode) if self.staged else set()

    @property
    def has_separation(self) -> bool:
        """True when tau matters (FoSp with a Separation module; False for SegFormer / rows a-c)."""
        if not self.staged:
            return False
        if hasattr(self.model, "separation"):
            return getattr(self.model, "separation", None) is not None
        return True

    @property
    def default_tau(self) -> float | None:
        """The model's tau (config.tau, 0.15 in the paper); None when the model has no separation stage."""
        if not self.has_separation:
            return None
        for owner in (self.model, getattr(self.model, "config", None)):
            tau = getattr(owner, "tau", None) if owner is not None else None
            if isinstance(tau, int | float):
                return float(tau)
        return DEFAULT_TAU

    def encode(self, x: torch.Tensor) -> Any:
        """x: float (B, 3, H, W) RGB 0-255. Returns an opaque state for decode()."""
        if self.staged:
            return self.model.encode(x)
        return self.model(x)

    def decode(self, x: torch.Tensor, state: Any, tau: float | None, need: frozenset[str]) -> dict[str, torch.Tensor]:
        if self.staged:
            kwargs: dict[str, Any] = {}
            if tau is not None and ("tau" in self._decode_kwargs or "**" in self._decode_kwargs):
                kwargs["tau"] = tau
            for flag, wanted in (
                ("need_background", NEED_BACKGROUND in need),  # fosp_core.model.FoSp.decode
                ("need_side", NEED_SIDE in need),
                ("with_background", NEED_BACKGROUND in need),
            ):
                if flag in self._decode_kwargs:
                    kwargs[flag] = wanted
            out = self.model.decode(x, state, **kwargs)
        else:
            out = state
        return self._maps(out, need)

    @staticmethod
    def _maps(out: Any, need: frozenset[str]) -> dict[str, torch.Tensor]:
        logits = out if isinstance(out, torch.Tensor) else out.logits
        maps: dict[str, torch.Tensor] = {"logits": logits}
        if isinstance(out, torch.Tensor):
            return maps
        # The Focus Map as the probability the model itself resamples to cut its τ hole
        # (resize(focus_map) > tau): σ of resampled logits left 9 % of a demo photo's hole below τ.
        focus = getattr(out, "focus_map", None)
        if focus is None and getattr(out, "focus_logits", None) is not None:
            focus = torch.sigmoid(out.focus_logits)
        if NEED_FOCUS in need and focus is not None:
            maps["focus_map"] = focus
        hole = getattr(out, "hole", None)
        if NEED_HOLE in need and hole is not None:
            maps["hole"] = hole.float()
        bg = getattr(out, "background", None)
        if NEED_BACKGROUND in need and bg is not None:
            maps["background"] = bg
        fg = getattr(out, "foreground", None)
        if NEED_FOREGROUND in need and fg:
            # FoSpOutput.foreground is at strides 32, 16, 8, 4, in that order (named by position: at
            # an input side that is no multiple of 32 the shape ratios are not whole numbers)
            for stride, f in zip(FOREGROUND_STRIDES, fg, strict=False):
                maps[f"fg{stride}"] = foreground_energy(f)
        side = getattr(out, "side_logits", None)
        if NEED_SIDE in need and side:
            for key in SIDE_KEYS:
                if key in side and side[key] is not None:
                    maps[f"side_{key}"] = side[key]
        return maps


def _accepted_kwargs(fn: Any) -> set[str]:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return set()
    names = {n for n, p in params.items() if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)}
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):
        names.add("**")  # a wrapper (*args, **kwargs): pass tau, the one keyword that changes results
    return names
