"""FoSp loss (Eq. 8-9): weights, ignore label, target validation."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from fosp_core.model import FoSpOutput, fosp_loss
from fosp_core.model.losses import binary_ce_with_ignore


def _bce(logit: float, y: float) -> float:
    return float(F.binary_cross_entropy_with_logits(torch.tensor(logit), torch.tensor(y)))


def _output(main: float, focus: float | None = None, side: float | None = None) -> FoSpOutput:
    out = FoSpOutput(logits=torch.full((1, 1, 2, 2), main), input_size=(8, 8))
    if focus is not None:
        out.focus_logits = torch.full((1, 1, 1, 1), focus)
        out.focus_map = out.focus_logits.sigmoid()
        out.side_logits = {k: torch.full((1, 1, 1, 1), side) for k in ("g32", "g16", "g8", "g4")}
    return out


def test_weights_follow_equations_8_and_9():
    target = torch.ones(1, 8, 8, dtype=torch.long)
    loss, parts = fosp_loss(_output(1.0, focus=-1.0, side=0.5), target)
    expected = 0.5 * _bce(1.0, 1.0) + 0.1 * _bce(-1.0, 1.0) + 4 * 0.1 * _bce(0.5, 1.0)
    assert float(loss) == pytest.approx(expected, rel=1e-5)
    assert parts["total"] == pytest.approx(expected, rel=1e-5)
    assert parts["g16"] == pytest.approx(_bce(0.5, 1.0), rel=1e-5)


def test_segformer_output_uses_plain_bce():
    target = torch.zeros(1, 8, 8, dtype=torch.uint8)
    loss, parts = fosp_loss(_output(2.0), target)
    assert float(loss) == pytest.approx(_bce(2.0, 0.0), rel=1e-5)
    assert set(parts) == {"main", "total"}


def test_ignore_label_is_ignored():
    logits = torch.tensor([[[[5.0, -5.0], [5.0, -5.0]]]])
    target = torch.tensor([[[1, 255], [1, 255]]], dtype=torch.uint8)
    assert float(binary_ce_with_ignore(logits, target)) == pytest.approx(_bce(5.0, 1.0), rel=1e-5)
    all_ignored = torch.full((1, 2, 2), 255, dtype=torch.long)
    assert float(binary_ce_with_ignore(logits, all_ignored)) == 0.0


def test_gradient_does_not_see_ignored_pixels():
    logits = torch.zeros(1, 1, 4, 4, requires_grad=True)
    target = torch.full((1, 4, 4), 255, dtype=torch.long)
    target[0, 0, 0] = 1
    binary_ce_with_ignore(logits, target).backward()
    assert float(logits.grad.abs().sum()) == pytest.approx(float(logits.grad[0, 0, 0, 0].abs()))


@pytest.mark.parametrize(
    "target,error",
    [
        (torch.zeros(1, 8, 8), TypeError),
        (torch.full((1, 8, 8), 2, dtype=torch.long), ValueError),
        (torch.zeros(8, 8, dtype=torch.long), ValueError),
        (torch.zeros(2, 8, 8, dtype=torch.long), ValueError),
    ],
)
def test_bad_targets_are_refused(target, error):
    with pytest.raises(error):
        fosp_loss(_output(0.0, focus=0.0, side=0.0), target)


def test_missing_side_logits_is_a_clear_error():
    out = _output(0.0, focus=0.0, side=0.0)
    out.side_logits = {}
    with pytest.raises(ValueError, match="need_side=True"):
        fosp_loss(out, torch.zeros(1, 8, 8, dtype=torch.long))
