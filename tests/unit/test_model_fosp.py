"""FoSp / SegFormer models: structured output, staged inference, ablation switches, gradients, bad input."""

from __future__ import annotations

import dataclasses
import json

import pytest
import torch

from fosp_core.model import FoSpOutput, ModelConfig, available_models, build_model, fosp_loss
from fosp_core.model.fusion import DomainFusion
from fosp_core.model.ops import resize
from fosp_core.model.segformer_head import SegFormerHead

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def _images(b: int = 1, h: int = 64, w: int = 64) -> torch.Tensor:
    return torch.rand(b, 3, h, w) * 255.0


def _randomise_bn(model: torch.nn.Module) -> None:
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.2, 0.2)


def test_registry_names():
    names = available_models()
    for n in ["fosp-s", "fosp", *(f"fosp-b{i}" for i in range(6)), *(f"segformer-b{i}" for i in range(6))]:
        assert n in names
    assert build_model("fosp-s").config.backbone == "mit_b0"
    assert build_model("segformer-b1").config.backbone == "mit_b1"


def test_unknown_model_and_option_are_clear_errors():
    with pytest.raises(ValueError, match="unknown model 'fosp-xl'.*fosp-s"):
        build_model("fosp-xl")
    with pytest.raises(TypeError, match="unknown option.*'taux'"):
        build_model("fosp-s", taux=0.2)
    with pytest.raises(ValueError, match="unknown ablation row"):
        build_model("fosp-s", ablation="z")


@pytest.mark.parametrize("size", [(97, 75), (64, 64), (40, 131)])
def test_fosp_output_shapes_for_odd_sizes(size):
    h, w = size
    model = build_model("fosp-s").eval()
    with torch.inference_mode():
        out = model(_images(2, h, w))
    assert isinstance(out, FoSpOutput)
    s = lambda k: (-(-h // k), -(-w // k))  # noqa: E731
    assert out.logits.shape == (2, 1, *s(4))
    assert out.upsampled().shape == (2, 1, h, w)
    assert out.upsampled((10, 12)).shape == (2, 1, 10, 12)
    assert out.focus_logits.shape == out.focus_map.shape == (2, 1, *s(16))
    assert set(out.side_logits) == {"g32", "g16", "g8", "g4"}
    for key, stride in [("g32", 32), ("g16", 16), ("g8", 8), ("g4", 4)]:
        assert out.side_logits[key].shape == (2, 1, *s(stride))
    assert out.hole.shape == (2, 1, h, w)
    assert [tuple(f.shape) for f in out.foreground] == [
        (2, 512, *s(32)),
        (2, 512, *s(16)),
        (2, 512, *s(8)),
        (2, 256, *s(4)),
    ]
    assert out.background.shape == (2, 3, h, w)
    assert float(out.background.min()) >= 0.0 and float(out.background.max()) <= 255.0
    assert out.tau == pytest.approx(0.15)
    assert torch.isfinite(out.logits).all()


def test_segformer_returns_only_logits():
    model = build_model("segformer-b0").eval()
    with torch.inference_mode():
        out = model(_images(1, 97, 75))
    assert out.logits.shape == (1, 1, 25, 19)
    assert out.focus_logits is None and out.focus_map is None and out.hole is None
    assert out.side_logits == {} and out.foreground == [] and out.background is None
    assert model.inpainter is None


def test_staged_inference_and_tau():
    model = build_model("fosp-s").eval()
    x = _images(1, 64, 96)
    with torch.inference_mode():
        enc = model.encode(x)
        full = model(x)
        staged = model.decode(x, enc)
        assert torch.allclose(full.logits, staged.logits, atol=1e-5)
        none = model.decode(x, enc, tau=1.0)  # FM never exceeds 1: nothing removed
        every = model.decode(x, enc, tau=0.0, need_background=False, need_side=False)
    assert none.hole.sum() == 0
    assert all(float(f.abs().max()) == 0.0 for f in none.foreground)  # branch N == branch A
    assert torch.allclose(none.background, x, atol=1e-3)
    assert every.hole.min() == 1 and every.background is None and every.side_logits == {}
    assert not torch.allclose(none.logits, every.logits)
    with pytest.raises(ValueError, match="decode"):
        model.decode(_images(1, 64, 64), enc)


def test_training_mode_skips_background_and_keeps_inpainter_frozen():
    model = build_model("fosp-s").train()
    assert not model.inpainter.training
    assert not any(p.requires_grad for p in model.inpainter.parameters())
    out = model(_images(2, 64, 64))
    assert out.background is None
    assert model(_images(2, 64, 64), need_background=True).background is not None


def test_gradient_reaches_every_trainable_parameter_and_not_the_inpainter():
    model = build_model("fosp-s").train()
    x = _images(2, 64, 64)
    target = (torch.rand(2, 64, 64) > 0.6).long()
    target[:, :4] = 255
    loss, parts = fosp_loss(model(x), target)
    loss.backward()
    trainable = {n: p for n, p in model.named_parameters() if p.requires_grad}
    assert len(trainable) > 100
    silent = [n for n, p in trainable.items() if p.grad is None or float(p.grad.abs().sum()) == 0.0]
    assert silent == []
    assert all(p.grad is None for p in model.inpainter.parameters())
    assert set(parts) == {"main", "focus", "g32", "g16", "g8", "g4", "total"}


@pytest.mark.parametrize(
    "row,focus,inpainter,fusion,head",
    [
        ("a", False, False, False, True),
        ("b", True, False, False, True),
        ("c", True, False, False, True),
        ("d", True, True, False, True),
        ("e", True, True, True, False),
    ],
)
def test_ablation_rows_remove_their_modules(row, focus, inpainter, fusion, head):
    model = build_model("fosp-s", ablation=row).eval()
    assert model.config.ablation_row == row
    assert (model.focus is not None) == focus
    assert (model.inpainter is not None) == inpainter and (model.separation is not None) == inpainter
    assert (model.fusion is not None) == fusion
    assert (model.decode_head is not None) == head
    keys = model.state_dict().keys()
    assert any(k.startswith("focus.") for k in keys) == focus
    assert any(k.startswith("inpainter.") for k in keys) == inpainter
    assert any(k.startswith("fusion.") for k in keys) == fusion
    with torch.inference_mode():
        out = model(_images(1, 64, 64))
    assert (out.focus_map is not None) == focus
    assert (out.hole is not None) == inpainter


def test_focus_map_feeds_the_decoder_only_from_row_c():
    """Row b supervises the BCG but its Focus Map must not reach the final logits; row c uses it."""
    x = _images(1, 64, 64)
    for row, should_change in [("b", False), ("c", True)]:
        torch.manual_seed(0)
        model = build_model("fosp-s", ablation=row).eval()
        with torch.inference_mode():
            before = model(x).logits.clone()
            model.focus.focus_classifier.bias.add_(3.0)
            after = model(x).logits
        assert (not torch.allclose(before, after)) == should_change


def test_bad_inputs_are_clear_errors():
    model = build_model("segformer-b0").eval()
    with pytest.raises(ValueError, match=r"\(B, 3, H, W\).*\(1, 4, 64, 64\)"):
        model(torch.rand(1, 4, 64, 64))
    with pytest.raises(ValueError, match=r"\(B, 3, H, W\)"):
        model(torch.rand(3, 64, 64))
    with pytest.raises(TypeError, match="floating-point.*uint8"):
        model(torch.zeros(1, 3, 64, 64, dtype=torch.uint8))
    with pytest.raises(TypeError, match="torch.Tensor"):
        model([[0.0]])
    with pytest.raises(ValueError, match="at least"):
        model(torch.rand(1, 3, 16, 16))


def test_config_is_json_serialisable_and_round_trips():
    model = build_model("fosp", ablation="d", tau=0.3)
    text = model.config.to_json()
    again = ModelConfig.from_json(text)
    assert again == model.config
    assert json.loads(text)["inpainter"]["feature_channels"] == [512, 512, 512, 256]
    assert model.name == "fosp"
    with pytest.raises(ValueError, match="separation=True needs focus=True"):
        dataclasses.replace(model.config, focus=False)


def test_domain_fusion_equals_the_plain_concat_form():
    torch.manual_seed(0)
    widths = (32, 64, 160, 256)
    fusion = DomainFusion(widths, 256, 0.1).eval()
    _randomise_bn(fusion)
    origin = [torch.randn(2, c, 52 // s, 60 // s) for c, s in zip(widths, (4, 8, 16, 32), strict=True)]
    fg = [torch.randn_like(o) for o in origin]
    # reference: concat, resize the previous output, one conv per stage (the authors' order)
    prev = None
    for k, stage in enumerate(fusion.stages):
        parts = [origin[3 - k], fg[3 - k]]
        if prev is not None:
            parts.append(resize(prev, origin[3 - k].shape[-2:]))
        prev = torch.relu(stage.bn(stage.conv(torch.cat(parts, 1))))
    ref = fusion.classifier(torch.relu(fusion.final.bn(fusion.final.conv(prev))))
    with torch.no_grad():
        tiled = fusion(origin, fg)  # inference path (bands of rows)
    with torch.enable_grad():
        plain = fusion(origin, fg)
    assert tiled.shape == ref.shape == (2, 1, 13, 15)
    assert torch.allclose(tiled, ref, atol=1e-4)
    assert torch.allclose(plain, ref, atol=1e-4)


def test_segformer_head_reassociation_is_exact():
    torch.manual_seed(0)
    head = SegFormerHead((32, 64, 160, 256)).eval()
    _randomise_bn(head)
    feats = [
        torch.randn(1, c, 64 // s, 48 // s) for c, s in zip((32, 64, 160, 256), (4, 8, 16, 32), strict=True)
    ]
    with torch.no_grad():
        fast = head(feats)
        head.reassociate = False
        plain = head(feats)
    assert torch.allclose(fast, plain, atol=1e-4)


def test_init_and_norm_options_for_the_from_scratch_ablation(tmp_path) -> None:
    from fosp_core.checkpoint import load_checkpoint, save_checkpoint

    with pytest.raises(ValueError, match="init"):
        build_model("fosp-s", init="xavier")
    with pytest.raises(ValueError, match="norm"):
        build_model("fosp-s", norm="ln")
    torch.manual_seed(0)
    seg = build_model("fosp-s")
    torch.manual_seed(0)
    plain = build_model("fosp-s", init="torch")
    # SegFormer's trunc-normal(0.02) against PyTorch's kaiming-uniform on the first attention projection
    lin = [m for m in seg.backbone.modules() if isinstance(m, torch.nn.Linear)][0]
    lin_plain = [m for m in plain.backbone.modules() if isinstance(m, torch.nn.Linear)][0]
    assert float(lin.weight.detach().std()) == pytest.approx(0.02, rel=0.2)
    assert float(lin_plain.weight.detach().std()) > 0.04
    # the inpainter keeps its own initialisation under init="torch" (it is loaded pre-trained anyway)
    assert all(torch.equal(a, b) for a, b in zip(seg.inpainter.state_dict().values(),
                                                 plain.inpainter.state_dict().values(), strict=True))
    gn = build_model("fosp-s", norm="gn").eval()
    assert isinstance(gn.fusion.final.bn, torch.nn.GroupNorm) and not gn.fusion.final.foldable
    x = _images(1, 96, 96)
    with torch.no_grad():
        out = gn(x).logits
    path = save_checkpoint(gn, tmp_path / "gn.safetensors")
    again = load_checkpoint(path).eval()
    assert again.config.norm == "gn"
    with torch.no_grad():
        assert torch.allclose(again(x).logits, out, atol=1e-5)
