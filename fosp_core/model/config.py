"""Model configuration: one JSON-serialisable dataclass describes every variant.

Variants only change these hyper-parameters (``fosp_core.model.registry`` maps names to them).
The four switches reproduce the rows of the paper's ablation (Table 4):

====  ==========  =====  ==========  =============  =====================================
row   focus_loss  focus  separation  domain_fusion  what the model is
====  ==========  =====  ==========  =============  =====================================
(a)   no          no     no          no             SegFormer (MiT + all-MLP head)
(b)   yes         no     no          no             + BCG side/focus logits, supervised only
(c)   yes         yes    no          no             + Focus Map enhances f (f*FM + f)
(d)   yes         yes    yes         no             + foreground features added to f
(e)   yes         yes    yes         yes            full FoSp (Domain Fusion decoder)
====  ==========  =====  ==========  =============  =====================================
"""

from __future__ import annotations

import dataclasses
import json
import warnings
from dataclasses import dataclass, field
from typing import Any

from fosp_core.model.inpainter import MAX_WIDTH, InpainterConfig, is_width
from fosp_core.model.mit import MIT_CONFIGS

__all__ = ["ABLATION_ROWS", "LOSS_TERMS", "ModelConfig", "apply_ablation"]

LOSS_TERMS = ("bce", "focal", "dice", "lovasz")

# row -> (focus_loss, focus, separation, domain_fusion)
ABLATION_ROWS: dict[str, tuple[bool, bool, bool, bool]] = {
    "a": (False, False, False, False),
    "b": (True, False, False, False),
    "c": (True, True, False, False),
    "d": (True, True, True, False),
    "e": (True, True, True, True),
}


@dataclass
class ModelConfig:
    """Everything needed to rebuild a model (saved in checkpoint metadata as JSON).

    name: registry name (``fosp``, ``fosp-s``, ``segformer-b0`` ...).
    backbone: MiT size, ``mit_b0`` ... ``mit_b5``.
    channels: decoder width (SegFormer head and Domain Fusion unit, 256 in the paper).
    drop_path_rate / dropout: backbone stochastic depth (0.1) and decoder dropout before the classifier.
    focus_loss / focus / separation / domain_fusion: ablation switches (see module docstring).
    tau: Focus Map threshold of the hole (hole where FM > tau), 0.15 (paper Table 6).
    beta: foreground gain, F^F = beta * |F^N - F^A|, 10.
    inpainter: configuration of the default (light) inpainter.
    loss_focus / loss_side / loss_main: lambda_f, lambda_i, lambda_b of Eq. 8-9.
    loss: the per-map loss of Eq. 8-9, ``bce`` in the paper; terms ``bce``, ``focal``, ``dice`` and
        ``lovasz`` joined by ``+`` (e.g. ``bce+dice``) are summed with weight 1 on every map
        (``fosp_core.model.losses``), for thin plumes that plain BCE under-weights.
    init: how a fresh model's weights are drawn: ``segformer`` (the authors': trunc-normal(0.02)
        linears, He-normal convs, unit norms) or ``torch`` (PyTorch's per-layer defaults); an
        initialisation ablation for training from scratch.
    norm: the decoder's normalisation (Separation adapters, Domain Fusion): ``bn`` (BatchNorm, the
        authors' ConvModule; folded into the conv at inference) or ``gn`` (GroupNorm, independent
        of the batch size; a normalisation ablation for small batches).
    """

    name: str = "fosp"
    backbone: str = "mit_b3"
    channels: int = 256
    drop_path_rate: float = 0.1
    dropout: float = 0.1
    focus_loss: bool = True
    focus: bool = True
    separation: bool = True
    domain_fusion: bool = True
    tau: float = 0.15
    beta: float = 10.0
    inpainter: InpainterConfig = field(default_factory=InpainterConfig)
    loss_focus: float = 0.1
    loss_side: float = 0.1
    loss_main: float = 0.5
    loss: str = "bce"
    init: str = "segformer"
    norm: str = "bn"

    def __post_init__(self) -> None:
        if isinstance(self.inpainter, dict):
            self.inpainter = InpainterConfig.from_dict(self.inpainter)
        self.validate()

    @property
    def is_fosp(self) -> bool:
        """True when any FoSp module is present (rows b-e); SegFormer otherwise."""
        return self.focus_loss

    def validate(self) -> None:
        """Raise ValueError on an impossible combination or an unknown backbone."""
        if not isinstance(self.inpainter, InpainterConfig):
            raise ValueError(f"inpainter must be a mapping of inpainter fields, got {self.inpainter!r}")
        if not is_width(self.channels):
            raise ValueError(f"channels must be an integer in [1, {MAX_WIDTH}], got {self.channels!r}")
        if self.backbone not in MIT_CONFIGS:
            raise ValueError(f"unknown backbone {self.backbone!r}; expected one of {sorted(MIT_CONFIGS)}")
        if self.focus and not self.focus_loss:
            raise ValueError("focus=True needs focus_loss=True (the Focus Map comes from the BCG)")
        if self.separation and not self.focus:
            raise ValueError("separation=True needs focus=True (the hole comes from the Focus Map)")
        if self.domain_fusion and not self.separation:
            raise ValueError("domain_fusion=True needs separation=True (it fuses foreground features)")
        if not 0.0 <= self.tau <= 1.0:
            raise ValueError(f"tau must lie in [0, 1], got {self.tau}")
        terms = self.loss.split("+") if isinstance(self.loss, str) else []
        if not terms or any(t.strip() not in LOSS_TERMS for t in terms):
            raise ValueError(f"loss must be terms from {LOSS_TERMS} joined by '+', got {self.loss!r}")
        if self.init not in ("segformer", "torch"):
            raise ValueError(f"init must be 'segformer' or 'torch', got {self.init!r}")
        if self.norm not in ("bn", "gn"):
            raise ValueError(f"norm must be 'bn' or 'gn', got {self.norm!r}")

    @property
    def ablation_row(self) -> str | None:
        """The Table 4 row these switches reproduce, or None."""
        flags = (self.focus_loss, self.focus, self.separation, self.domain_fusion)
        for row, row_flags in ABLATION_ROWS.items():
            if row_flags == flags:
                return row
        return None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any], strict: bool = True) -> ModelConfig:
        """Build from a dict; unknown keys raise (strict) or are dropped with a warning."""
        if not isinstance(data, dict):
            raise ValueError(f"a model config must be a mapping of fields, got {type(data).__name__}")
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            if strict:
                raise ValueError(f"unknown model config keys {unknown}; valid keys: {sorted(known)}")
            warnings.warn(f"ignoring unknown model config keys {unknown}", stacklevel=2)
        return cls(**{k: v for k, v in data.items() if k in known})

    @classmethod
    def from_json(cls, text: str, strict: bool = False) -> ModelConfig:
        return cls.from_dict(json.loads(text), strict=strict)


def apply_ablation(cfg: ModelConfig, row: str) -> ModelConfig:
    """Copy of ``cfg`` with the switches of Table 4 row ``row`` ('a' ... 'e')."""
    key = row.strip().lower().strip("()")
    if key not in ABLATION_ROWS:
        raise ValueError(f"unknown ablation row {row!r}; expected one of {sorted(ABLATION_ROWS)}")
    fl, fo, se, df = ABLATION_ROWS[key]
    return dataclasses.replace(cfg, focus_loss=fl, focus=fo, separation=se, domain_fusion=df)
