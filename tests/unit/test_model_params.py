"""Parameter counts against the paper's Table 3 (inpainter excluded)."""

from __future__ import annotations

from functools import cache

import pytest

from fosp_core.model import MIT_CONFIGS, FoSp, count_parameters
from fosp_core.model import build_model as _build


@cache
def build_model(name: str) -> FoSp:
    return _build(name)  # B3-sized models take seconds to initialise: build each once


# Table 3 of the paper, millions of parameters
SEGFORMER_B3 = 44.60
FOSP = 47.52
FOSP_S = 5.79


def _unused_segformer_projections(backbone: str, channels: int = 256) -> int:
    """The four SegFormer MLP projections (C_i -> 256, with bias) the paper's count includes.

    The authors' FoSp head does not use them (their released ``FOSP`` decode head never calls them),
    and ours does not build them; adding them reproduces both of the paper's FoSp counts to rounding.
    """
    return sum(c * channels + channels for c in MIT_CONFIGS[backbone].embed_dims)


def test_segformer_b3_within_half_a_percent():
    n = count_parameters(build_model("segformer-b3")) / 1e6
    assert abs(n - SEGFORMER_B3) / SEGFORMER_B3 < 0.005


def test_fosp_within_two_percent():
    model = build_model("fosp")
    n = count_parameters(model) / 1e6
    assert abs(n - FOSP) / FOSP < 0.02
    assert count_parameters(model, include_inpainter=True) > count_parameters(model)


def test_fosp_s_count_and_the_documented_gap():
    """FoSp-s is 5.656 M here, 2.3 % under the paper's 5.79 M: the whole gap (and FoSp's 0.27 M) is the
    unused SegFormer projections counted by the authors, see ``_unused_segformer_projections``."""
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
