"""FoSp model: MiT backbone, Focus, Separation, Domain Fusion, SegFormer baseline (plain PyTorch)."""

from fosp_core.model.mit import MIT_CONFIGS, MiTConfig, MixVisionTransformer

__all__ = ["MIT_CONFIGS", "MiTConfig", "MixVisionTransformer"]
