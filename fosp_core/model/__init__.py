"""FoSp model: MiT backbone, Focus, Separation, Domain Fusion, SegFormer baseline (plain PyTorch).

from fosp_core.model import build_model, available_models, FoSpOutput, fosp_loss
model = build_model("fosp-s")
out = model(images)            # images: (B, 3, H, W) float32 RGB 0-255
loss, parts = fosp_loss(out, target)
"""

from fosp_core.model.config import ABLATION_ROWS, ModelConfig
from fosp_core.model.focus import FocusOutput
from fosp_core.model.fosp import FoSp, count_parameters
from fosp_core.model.inpainter import Inpainter, InpainterConfig, InpainterOutput, masked_reconstruction_loss
from fosp_core.model.losses import fosp_loss
from fosp_core.model.mit import MIT_CONFIGS, MiTConfig, MixVisionTransformer
from fosp_core.model.outputs import Encoded, FoSpOutput
from fosp_core.model.registry import available_models, build_from_config, build_model, model_config

__all__ = [
    "ABLATION_ROWS",
    "MIT_CONFIGS",
    "Encoded",
    "FoSp",
    "FoSpOutput",
    "FocusOutput",
    "Inpainter",
    "InpainterConfig",
    "InpainterOutput",
    "MiTConfig",
    "MixVisionTransformer",
    "ModelConfig",
    "available_models",
    "build_from_config",
    "build_model",
    "count_parameters",
    "fosp_loss",
    "masked_reconstruction_loss",
    "model_config",
]
