"""MiT backbone: shapes for any size, parity with transformers' SegformerModel, foreign key maps."""

from __future__ import annotations

import re

import pytest
import torch

from fosp_core.checkpoint import CheckpointError, load_pretrained_backbone
from fosp_core.model import MIT_CONFIGS, MixVisionTransformer, build_model
from fosp_core.model.keymap import detect_mit_format, map_mit_state_dict

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def mit_b0() -> MixVisionTransformer:
    torch.manual_seed(0)
    return MixVisionTransformer(MIT_CONFIGS["mit_b0"]).eval()


@pytest.mark.parametrize("size", [(64, 64), (97, 75), (33, 130)])
def test_feature_sizes_follow_the_ceil_rule(mit_b0, size):
    h, w = size
    with torch.inference_mode():
        feats = mit_b0(torch.randn(2, 3, h, w))
    for f, stride, c in zip(feats, (4, 8, 16, 32), (32, 64, 160, 256), strict=True):
        assert f.shape == (2, c, -(-h // stride), -(-w // stride))
        assert torch.isfinite(f).all()


def test_too_small_input_is_a_clear_error(mit_b0):
    assert mit_b0.min_input_size <= 32
    with pytest.raises(ValueError, match="at least"):
        mit_b0(torch.randn(1, 3, 16, 64))


def test_drop_path_is_linear_up_to_the_rate():
    model = MixVisionTransformer(MIT_CONFIGS["mit_b0"], drop_path_rate=0.1)
    rates = [b.drop_path.drop_prob for s in model.stages for b in s.blocks]
    assert rates[0] == 0.0 and rates[-1] == pytest.approx(0.1)
    assert rates == sorted(rates)


def _to_mmseg(sd: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Our keys -> mmseg MixVisionTransformer keys (test-side inverse of the key map)."""
    out: dict[str, torch.Tensor] = {}
    qkv: dict[str, dict[str, torch.Tensor]] = {}
    for k, v in sd.items():
        m = re.fullmatch(r"stages\.(\d+)\.(.+)", k)
        assert m
        i, rest = m[1], m[2]
        if rest.startswith("patch_embed."):
            name = rest[len("patch_embed.") :].replace("proj.", "projection.").replace("layer_norm.", "norm.")
            out[f"backbone.layers.{i}.0.{name}"] = v
        elif rest.startswith("layer_norm."):
            out[f"backbone.layers.{i}.2.{rest[len('layer_norm.') :]}"] = v
        else:
            b = re.fullmatch(r"blocks\.(\d+)\.(.+)", rest)
            assert b
            p = f"backbone.layers.{i}.1.{b[1]}."
            r = b[2]
            if a := re.fullmatch(r"attention\.(query|key|value)\.(weight|bias)", r):
                qkv.setdefault(p + a[2], {})[a[1]] = v
                continue
            for old, new in [
                ("layer_norm_1.", "norm1."),
                ("layer_norm_2.", "norm2."),
                ("attention.proj.", "attn.attn.out_proj."),
                ("attention.sr.", "attn.sr."),
                ("attention.layer_norm.", "attn.norm."),
                ("mlp.dense1.", "ffn.layers.0."),
                ("mlp.dwconv.", "ffn.layers.1."),
                ("mlp.dense2.", "ffn.layers.4."),
            ]:
                if r.startswith(old):
                    if old in ("mlp.dense1.", "mlp.dense2.") and r.endswith("weight"):
                        v = v[:, :, None, None]
                    out[p + new + r[len(old) :]] = v
                    break
            else:
                raise AssertionError(k)
    for prefix_kind, parts in qkv.items():
        prefix, kind = prefix_kind.rsplit(".", 1)
        out[f"{prefix}.attn.attn.in_proj_{kind}"] = torch.cat([parts["query"], parts["key"], parts["value"]])
    return out


def _to_official(sd: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    out: dict[str, torch.Tensor] = {"head.weight": torch.zeros(1000, 256), "head.bias": torch.zeros(1000)}
    kv: dict[str, dict[str, torch.Tensor]] = {}
    for k, v in sd.items():
        m = re.fullmatch(r"stages\.(\d+)\.(.+)", k)
        assert m
        n, rest = int(m[1]) + 1, m[2]
        if rest.startswith("patch_embed."):
            out[f"patch_embed{n}.{rest[len('patch_embed.') :].replace('layer_norm.', 'norm.')}"] = v
        elif rest.startswith("layer_norm."):
            out[f"norm{n}.{rest[len('layer_norm.') :]}"] = v
        else:
            b = re.fullmatch(r"blocks\.(\d+)\.(.+)", rest)
            assert b
            p, r = f"block{n}.{b[1]}.", b[2]
            if a := re.fullmatch(r"attention\.(key|value)\.(weight|bias)", r):
                kv.setdefault(p + a[2], {})[a[1]] = v
                continue
            for old, new in [
                ("layer_norm_1.", "norm1."),
                ("layer_norm_2.", "norm2."),
                ("attention.query.", "attn.q."),
                ("attention.proj.", "attn.proj."),
                ("attention.sr.", "attn.sr."),
                ("attention.layer_norm.", "attn.norm."),
                ("mlp.dense1.", "mlp.fc1."),
                ("mlp.dwconv.", "mlp.dwconv.dwconv."),
                ("mlp.dense2.", "mlp.fc2."),
            ]:
                if r.startswith(old):
                    out[p + new + r[len(old) :]] = v
                    break
            else:
                raise AssertionError(k)
    for prefix_kind, parts in kv.items():
        prefix, kind = prefix_kind.rsplit(".", 1)
        out[f"{prefix}.attn.kv.{kind}"] = torch.cat([parts["key"], parts["value"]])
    return out


@pytest.mark.parametrize("convert,kind", [(_to_mmseg, "mmseg"), (_to_official, "official")])
def test_mmseg_and_official_files_load_through_the_key_map(mit_b0, tmp_path, convert, kind):
    foreign = convert(mit_b0.state_dict())
    assert detect_mit_format(list(foreign)) == kind
    path = tmp_path / "mit_b0.pth"
    torch.save({"state_dict": foreign, "meta": {"epoch": 1}}, path)
    fresh = MixVisionTransformer(MIT_CONFIGS["mit_b0"]).eval()
    info = load_pretrained_backbone(fresh, path)
    assert info == {"format": kind, "tensors": len(mit_b0.state_dict())}
    x = torch.randn(1, 3, 64, 64)
    with torch.inference_mode():
        for a, b in zip(mit_b0(x), fresh(x), strict=True):
            assert torch.equal(a, b)


def test_backbone_of_another_size_is_refused_with_both_shapes(mit_b0, tmp_path):
    path = tmp_path / "mit_b0.pth"
    torch.save(_to_official(mit_b0.state_dict()), path)
    b1 = MixVisionTransformer(MIT_CONFIGS["mit_b1"])
    with pytest.raises(CheckpointError, match=r"widths \(32, 64, 160, 256\).*widths \(64, 128, 320, 512\)"):
        load_pretrained_backbone(b1, path)


def test_unknown_naming_is_refused(tmp_path):
    with pytest.raises(ValueError, match="not a MiT checkpoint"):
        map_mit_state_dict({"foo.weight": torch.zeros(1)})


def test_parity_with_transformers_segformer(tmp_path):
    transformers = pytest.importorskip("transformers")
    cfg = transformers.SegformerConfig(hidden_sizes=[32, 64, 160, 256], depths=[2, 2, 2, 2])
    torch.manual_seed(1)
    hf = transformers.SegformerForImageClassification(cfg).eval()  # "segformer." prefix + a classifier
    hf.save_pretrained(tmp_path / "hf")
    ours = MixVisionTransformer(MIT_CONFIGS["mit_b0"]).eval()
    info = load_pretrained_backbone(ours, tmp_path / "hf" / "model.safetensors")
    assert info["format"] == "hf"
    x = torch.randn(1, 3, 97, 75)
    with torch.inference_mode():
        ref = hf.segformer(x, output_hidden_states=True).hidden_states
        got = ours(x)
    assert len(ref) == 4
    for r, g in zip(ref, got, strict=True):
        assert r.shape == g.shape
        assert (r - g).abs().max().item() < 1e-4
    # a raw state_dict() of the in-memory model (transformers >= 5 renamed it) loads as well
    raw = tmp_path / "raw.pth"
    torch.save(
        hf.segformer.encoder.state_dict() if hasattr(hf.segformer, "encoder") else hf.segformer.state_dict(),
        raw,
    )
    again = MixVisionTransformer(MIT_CONFIGS["mit_b0"]).eval()
    load_pretrained_backbone(again, raw)
    with torch.inference_mode():
        assert torch.equal(again(x)[3], got[3])
    # a bare SegformerModel's files (no "segformer." prefix) load into a whole fosp-s, its backbone then
    # the MiT's last stage (was tests/unit/test_checkpoint.py's own test, with its own import of
    # transformers: ~3 s of the 2-core CI's time in each process that ran one of the two)
    hf.segformer.save_pretrained(tmp_path / "mit-b0")
    model = build_model("fosp-s").eval()
    info = load_pretrained_backbone(model, tmp_path / "mit-b0" / "model.safetensors")
    assert info["format"] == "hf", "a SegformerModel's files"
    with torch.inference_mode():
        assert (model.backbone(x)[3] - ref[-1]).abs().max() < 1e-4, "fosp-s from a SegformerModel's files"
