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


# --- thin-plume terms (ModelConfig.loss) ---------------------------------------------------------

from fosp_core.model.config import ModelConfig  # noqa: E402
from fosp_core.model.losses import dice_loss, focal_loss, lovasz_hinge, map_loss  # noqa: E402


def _plume(h: int = 16, w: int = 16) -> torch.Tensor:
    """A 2-px-wide vertical plume in a 16x16 label, a few ignored pixels."""
    target = torch.zeros(1, h, w, dtype=torch.long)
    target[0, :, 7:9] = 1
    target[0, 0, 0] = 255
    return target


def test_focal_equals_bce_times_modulating_factor():
    logits = torch.tensor([[[[2.0, -1.0]]]])
    target = torch.tensor([[[1, 1]]])
    p = torch.sigmoid(torch.tensor([2.0, -1.0]))
    bce = torch.tensor([_bce(2.0, 1.0), _bce(-1.0, 1.0)])
    expected = float(((1 - p) ** 2 * bce).mean())
    assert float(focal_loss(logits, target)) == pytest.approx(expected, rel=1e-5)
    assert float(focal_loss(logits, target, gamma=0.0)) == pytest.approx(float(bce.mean()), rel=1e-5)


def test_dice_is_zero_for_a_perfect_mask_and_ignores_255():
    target = _plume()
    perfect = torch.where(target == 1, 30.0, -30.0).float()[:, None]
    perfect[0, 0, 0, 0] = 30.0  # an ignored pixel flagged costs nothing
    assert float(dice_loss(perfect, target)) == pytest.approx(0.0, abs=1e-4)
    assert float(dice_loss(-perfect, target)) > 0.9


def test_dice_penalises_flags_on_smoke_free_images():
    target = torch.zeros(1, 8, 8, dtype=torch.long)
    clean = torch.full((1, 1, 8, 8), -30.0)
    flagged = clean.clone()
    flagged[..., :4, :] = 30.0
    assert float(dice_loss(clean, target)) < 1e-6
    assert float(dice_loss(flagged, target)) > 0.9


def test_lovasz_hinge_zero_when_margins_exceed_one_and_grows_with_errors():
    target = _plume()
    good = torch.where(target == 1, 2.0, -2.0).float()[:, None]
    assert float(lovasz_hinge(good, target)) == pytest.approx(0.0, abs=1e-6)
    half = good.clone()
    half[0, 0, :, 7] = -2.0  # miss half the plume
    worse = good.clone()
    worse[0, 0, :, 7:9] = -2.0  # miss all of it
    assert 0 < float(lovasz_hinge(half, target)) < float(lovasz_hinge(worse, target))


def test_lovasz_gradient_flows_only_through_valid_pixels():
    target = torch.full((1, 4, 4), 255, dtype=torch.long)
    target[0, 0, :2] = torch.tensor([1, 0])
    logits = torch.zeros(1, 1, 4, 4, requires_grad=True)
    lovasz_hinge(logits, target).backward()
    grad = logits.grad[0, 0]
    assert float(grad[1:].abs().sum()) == 0.0 and float(grad[0, 2:].abs().sum()) == 0.0
    assert float(grad[0, :2].abs().sum()) > 0


def test_map_loss_sums_terms_and_rejects_unknown():
    target = _plume()
    logits = torch.randn(1, 1, 8, 8)
    combo = float(map_loss(logits, target, "bce+dice"))
    assert combo == pytest.approx(float(binary_ce_with_ignore(logits, target) + dice_loss(logits, target)), rel=1e-5)
    with pytest.raises(ValueError, match="unknown loss term"):
        map_loss(logits, target, "bce+iou")


def test_config_loss_reaches_every_map():
    target = torch.ones(1, 8, 8, dtype=torch.long)
    out = _output(1.0, focus=-1.0, side=0.5)
    bce_total, _ = fosp_loss(out, target, ModelConfig(name="fosp-s", backbone="mit_b0"))
    dice_cfg = ModelConfig(name="fosp-s", backbone="mit_b0", loss="bce+dice")
    dice_total, parts = fosp_loss(out, target, dice_cfg)
    extra = sum(w * float(dice_loss(t, target)) for w, t in (
        (0.5, out.logits), (0.1, out.focus_logits), *((0.1, out.side_logits[k]) for k in ("g32", "g16", "g8", "g4"))))
    assert float(dice_total) == pytest.approx(float(bce_total) + extra, rel=1e-5)
    assert parts["g4"] == pytest.approx(_bce(0.5, 1.0) + float(dice_loss(out.side_logits["g4"], target)), rel=1e-5)


def test_config_rejects_unknown_loss():
    with pytest.raises(ValueError, match="loss must be"):
        ModelConfig(name="fosp-s", backbone="mit_b0", loss="bce+iou")
