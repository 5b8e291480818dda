"""Checkpoints: safetensors + metadata, strict loading, variants, fp16, pickles, foreign MiT, inpainter."""

from __future__ import annotations

import json
import os

import pytest
import torch
from safetensors import safe_open
from safetensors.torch import save_file

from fosp_core.checkpoint import (
    FORMAT_VERSION,
    CheckpointError,
    UnsafeCheckpointError,
    load_checkpoint,
    load_inpainter_weights,
    load_state_into,
    read_checkpoint,
    save_checkpoint,
)
from fosp_core.model import Inpainter, build_model

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def fosp_s():
    torch.manual_seed(3)
    model = build_model("fosp-s", tau=0.2).eval()
    for m in model.modules():  # non-default buffers so a lost buffer would show
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.1, 0.1)
    return model


def _x() -> torch.Tensor:
    torch.manual_seed(7)
    return torch.rand(1, 3, 64, 64) * 255


def test_round_trip_rebuilds_the_variant(fosp_s, tmp_path):
    path = save_checkpoint(fosp_s, tmp_path / "m.safetensors", extra_metadata={"epoch": 3, "note": "hi"})
    assert sorted(os.listdir(tmp_path)) == ["m.safetensors"]  # no temp file left behind
    with safe_open(str(path), framework="pt") as fh:
        meta = fh.metadata()
    assert meta["format"] == "fosp-checkpoint" and meta["format_version"] == str(FORMAT_VERSION)
    assert meta["model_name"] == "fosp-s" and meta["kind"] == "model"
    assert json.loads(meta["config"])["backbone"] == "mit_b0"
    assert meta["epoch"] == "3" and meta["note"] == "hi"
    loaded = load_checkpoint(path)
    assert loaded.name == "fosp-s" and loaded.config == fosp_s.config and not loaded.training
    with torch.inference_mode():
        assert torch.equal(loaded(_x()).logits, fosp_s(_x()).logits)


def test_fp16_file_loads_into_an_fp32_model(fosp_s, tmp_path):
    path = save_checkpoint(fosp_s, tmp_path / "half.safetensors", dtype=torch.float16)
    tensors, meta = read_checkpoint(path)
    assert meta["dtype"] == "torch.float16"
    assert tensors["backbone.stages.0.patch_embed.proj.weight"].dtype == torch.float16
    assert tensors["fusion.stages.0.bn.num_batches_tracked"].dtype == torch.int64
    assert path.stat().st_size < 0.6 * save_checkpoint(fosp_s, tmp_path / "full.safetensors").stat().st_size
    model = build_model("fosp-s").eval()
    load_state_into(model, path)
    assert model.backbone.stages[0].patch_embed.proj.weight.dtype == torch.float32
    with torch.inference_mode():
        assert torch.allclose(model(_x()).logits, fosp_s(_x()).logits, atol=5e-2)


def test_other_variant_is_refused_by_name(fosp_s, tmp_path):
    path = save_checkpoint(fosp_s, tmp_path / "s.safetensors")
    with pytest.raises(CheckpointError, match=r"'fosp-s'.*expected a 'fosp-b1'.*backbone"):
        load_state_into(build_model("fosp-b1"), path)
    with pytest.raises(CheckpointError, match="domain_fusion"):
        load_state_into(build_model("fosp-s", ablation="d"), path)


def test_strict_loading_lists_missing_and_unexpected_keys(fosp_s, tmp_path):
    sd = {k: v.contiguous() for k, v in fosp_s.state_dict().items()}
    sd.pop("fusion.classifier.bias")
    sd["extra.weight"] = torch.zeros(2)
    sd["focus.focus_classifier.weight"] = torch.zeros(1, 3, 1, 1)
    save_file(sd, str(tmp_path / "bad.safetensors"))  # no metadata: only the keys can tell
    with pytest.raises(CheckpointError) as info:
        load_state_into(build_model("fosp-s"), tmp_path / "bad.safetensors")
    msg = str(info.value)
    assert "missing keys: fusion.classifier.bias" in msg
    assert "unexpected keys: extra.weight" in msg
    assert "focus.focus_classifier.weight (file (1, 3, 1, 1), model (1, 2, 1, 1))" in msg


def test_pth_files_load_weights_only(fosp_s, tmp_path):
    path = tmp_path / "m.pth"
    torch.save({"state_dict": fosp_s.state_dict(), "iteration": 5}, path)
    model = build_model("fosp-s", tau=0.2).eval()
    load_state_into(model, path)
    with torch.inference_mode():
        assert torch.equal(model(_x()).logits, fosp_s(_x()).logits)
    with pytest.raises(CheckpointError, match="no FoSp model config"):
        load_checkpoint(path)


class _Evil:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_pickle_that_runs_code_is_refused(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pth"
    torch.save({"weight": torch.zeros(1), "payload": _Evil(str(marker))}, path)
    with pytest.raises(UnsafeCheckpointError, match="refused to load a pickle"):
        load_state_into(build_model("segformer-b0"), path)
    assert not marker.exists()


def test_unreadable_files_are_named(tmp_path):
    bad = tmp_path / "junk.safetensors"
    bad.write_bytes(b"not a checkpoint at all")
    with pytest.raises(CheckpointError, match="junk.safetensors"):
        load_checkpoint(bad)
    with pytest.raises(CheckpointError, match="no such"):
        load_checkpoint(tmp_path / "absent.safetensors")


def test_newer_format_version_is_refused(fosp_s, tmp_path):
    sd = {k: v.contiguous() for k, v in fosp_s.state_dict().items()}
    meta = {"format": "fosp-checkpoint", "format_version": str(FORMAT_VERSION + 1), "config": "{}"}
    save_file(sd, str(tmp_path / "new.safetensors"), metadata=meta)
    with pytest.raises(CheckpointError, match="newer"):
        load_checkpoint(tmp_path / "new.safetensors")


def test_inpainter_from_its_own_file_and_from_a_fosp_checkpoint(fosp_s, tmp_path):
    torch.manual_seed(11)
    pre = Inpainter()
    for p in pre.parameters():
        p.data.normal_(0.0, 0.02)
    path = save_checkpoint(pre, tmp_path / "inpainter.safetensors")
    model = build_model("fosp-s")
    load_inpainter_weights(model, path)
    assert torch.equal(model.inpainter.rgb_head.weight, pre.rgb_head.weight)
    assert not any(p.requires_grad for p in model.inpainter.parameters())
    with pytest.raises(CheckpointError, match="inpainter weights .*, not a FoSp model"):
        load_state_into(build_model("fosp-s"), path)
    # the inpainter part of a full FoSp checkpoint
    full = save_checkpoint(fosp_s, tmp_path / "full.safetensors")
    other = build_model("fosp-s")
    load_inpainter_weights(other, full)
    assert torch.equal(other.inpainter.stem.proj.weight, fosp_s.inpainter.stem.proj.weight)
    with pytest.raises(CheckpointError, match="no inpainter"):
        load_inpainter_weights(build_model("segformer-b0"), path)


# A whole fosp-s loads its backbone from a Hugging Face SegformerModel's files: the end of
# tests/unit/test_model_mit.py::test_parity_with_transformers_segformer (one import of transformers).
