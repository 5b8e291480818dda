"""Parameter counts against the paper's Table 3 (inpainter excluded)."""

from __future__ import annotations

from functools import cache

import pytest
import torch

from fosp_core.model import MIT_CONFIGS, FoSp, count_parameters
from fosp_core.model import build_model as _build


@cache
def build_model(name: str) -> FoSp:
    """Built once, on the meta device: parameter shapes without allocating or initialising weights
    (a B3-sized model took seconds to initialise)."""
    with torch.device("meta"):
        return _build(name)


# Table 3 of the paper, millions of parameters
SEGFORMER_B3 = 44.60
FOSP = 47.52
FOSP_S = 5.79


def _unused_segformer_projections(backbone: str, channels: int = 256) -> int:
    """The four SegFormer MLP projections (C_i -> 256, with bias): one hypothesis for the paper's counts.

    Adding them reproduces both of the paper's FoSp counts to rounding, but so do other single modules
    of that size (docs/model-review.md, "Parameter accounting"), and the authors' released ``FOSP``
    head does not build any of them: where the paper's extra 0.13 M / 0.27 M come from is not known.
    """
    return sum(c * channels + channels for c in MIT_CONFIGS[backbone].embed_dims)


def _released_head_sizes(backbone: str, channels: int = 256) -> dict[str, int]:
    """Parameter counts of the authors' released ``FOSP`` head (LujianYao/FoSp, FOSP_main.py), by part,
    from its constructor: mmcv ConvModule = 1x1 conv without bias + BN (weight, bias)."""
    c4, c8, c16, c32 = MIT_CONFIGS[backbone].embed_dims

    def conv_bn(cin: int, cout: int) -> int:
        return cin * cout + 2 * cout

    bcg = ((c4 + 1) + (2 * c8 + 1) + (2 * c16 + 1) + (c32 + 1)  # cls_seg_1_4/_1_8/_1_16/_1_32
           + 3  # fusion_bothway_mask 2 -> 1
           + (c4 * c8 + c8) + (c32 * c16 + c16))  # conv_1_4_8, conv_1_32_16
    registration = sum(conv_bn(cin, cout) for cin, cout in zip((512, 512, 512, 256), (c32, c16, c8, c4), strict=True))
    fusion = sum(conv_bn(2 * c + channels * k, channels * (k + 1)) for k, c in enumerate((c32, c16, c8, c4)))
    fusion += conv_bn(4 * channels, channels) + channels + 1  # fusion_final_conv, fusion_conv_seg
    return {"focus": bcg, "separation": registration, "fusion": fusion}


def test_segformer_b3_within_half_a_percent():
    n = count_parameters(build_model("segformer-b3")) / 1e6
    assert abs(n - SEGFORMER_B3) / SEGFORMER_B3 < 0.005


def test_fosp_within_two_percent():
    model = build_model("fosp")
    n = count_parameters(model) / 1e6
    assert abs(n - FOSP) / FOSP < 0.02
    assert count_parameters(model, include_inpainter=True) > count_parameters(model)


def test_fosp_s_count_and_the_documented_gap():
    """FoSp-s is 5.656 M here, 2.3 % under the paper's 5.79 M. The released head builds the same modules
    (``test_decoder_matches_the_released_head_part_by_part``); the gap fits several single extra modules,
    e.g. ``_unused_segformer_projections`` (a hypothesis, see docs/model-review.md)."""
    n = count_parameters(build_model("fosp-s"))
    assert abs(n / 1e6 - FOSP_S) / FOSP_S < 0.025
    assert round((n + _unused_segformer_projections("mit_b0")) / 1e6, 2) == FOSP_S


def test_paper_counts_reproduced_with_the_unused_projections():
    n = count_parameters(build_model("fosp")) + _unused_segformer_projections("mit_b3")
    assert round(n / 1e6, 2) == FOSP


@pytest.mark.parametrize("size,expected", [("b0", 3.32), ("b1", 13.15), ("b2", 24.2), ("b3", 44.07)])
def test_mit_backbone_sizes(size, expected):
    n = count_parameters(build_model(f"segformer-{size}").backbone) / 1e6
    assert n == pytest.approx(expected, rel=0.01)


@pytest.mark.parametrize("name,backbone", [("fosp-s", "mit_b0"), ("fosp", "mit_b3")])
def test_decoder_matches_the_released_head_part_by_part(name, backbone):
    model = build_model(name)
    for part, expected in _released_head_sizes(backbone).items():
        assert count_parameters(getattr(model, part)) == expected, part
