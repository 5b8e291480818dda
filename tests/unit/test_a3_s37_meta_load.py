"""Opening a checkpoint builds the model on the meta device: no weight memory, no random draw (session 37, A3).

`load_checkpoint` built every layer for real (each nn.Linear / nn.Conv2d / norm allocated its weights and drew
PyTorch's default initialisation) and then overwrote all of them strictly from the file. Now the build is on the
meta device and the file's tensors are assigned; the buffers kept out of checkpoints (the model's pixel mean and
std) are set after. The loaded model must be the old path's model exactly: same weights, buffers, dtypes, devices,
gradient flags and outputs, for every variant load_checkpoint builds."""

from __future__ import annotations

import dataclasses
import json
import threading
from pathlib import Path

import pytest
import torch
from torch import Tensor, nn

from fosp_core.checkpoint import load_checkpoint, load_state_into, read_header_metadata, save_checkpoint
from fosp_core.model.config import ModelConfig
from fosp_core.model.registry import build_from_config, build_model

VARIANTS = {
    "fosp-s": {},  # MiT-B0 + Focus + Separation (the inpainter) + Domain Fusion
    "fosp": {},  # MiT-B3
    "segformer-b0": {},  # the SegFormer baseline (all-MLP head, no inpainter)
    "fosp-s-gn": {"norm": "gn"},  # GroupNorm decoder
    "fosp-s-ablation-c": {"ablation": "c"},
}


def _saved(name: str, tmp_path: Path, dtype: torch.dtype | None = None) -> Path:
    overrides = dict(VARIANTS[name])
    torch.manual_seed(7)
    model = build_model(name.split("-gn")[0].split("-ablation")[0], **overrides)
    with torch.no_grad():  # running statistics that are not the defaults, so that they have to be loaded
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.uniform_(-0.1, 0.1)
                m.running_var.uniform_(0.5, 1.5)
                m.num_batches_tracked.fill_(3)
    return save_checkpoint(model, tmp_path / f"{name}.safetensors", dtype=dtype)


def _old_path(path: Path) -> nn.Module:
    """load_checkpoint before session 37: every layer built for real, then loaded strictly."""
    config = ModelConfig.from_dict(json.loads(read_header_metadata(path)["config"]), strict=False)
    model = build_from_config(config)
    load_state_into(model, path)
    return model.eval()


def _tensors(out: object) -> dict[str, Tensor]:
    found: dict[str, Tensor] = {}
    for f in dataclasses.fields(out):  # type: ignore[arg-type]
        value = getattr(out, f.name)
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else [("", value)]
        for key, t in items:
            if isinstance(t, Tensor):
                found[f"{f.name}{key}"] = t
    return found


def _state(model: nn.Module) -> dict[str, Tensor]:
    """Every parameter and buffer, persistent or not."""
    return {**dict(model.named_parameters()), **dict(model.named_buffers())}


@pytest.mark.parametrize("dtype", [None, torch.float16], ids=["fp32-file", "fp16-file"])
@pytest.mark.parametrize("name", list(VARIANTS))
def test_loaded_model_is_the_old_paths_model_exactly(name: str, dtype: torch.dtype | None, tmp_path: Path) -> None:
    path = _saved(name, tmp_path, dtype)
    old, new = _old_path(path), load_checkpoint(path)
    ours, theirs = _state(old), _state(new)
    assert ours.keys() == theirs.keys()
    on_meta = [k for k, t in theirs.items() if t.is_meta]
    assert not on_meta, f"left on the meta device: {on_meta}"
    for key, t in ours.items():
        u = theirs[key]
        assert (u.dtype, u.device, u.shape) == (t.dtype, t.device, t.shape), key
        assert u.requires_grad == t.requires_grad, key
        assert torch.equal(u, t), key
        assert isinstance(u, nn.Parameter) == isinstance(t, nn.Parameter), key
    assert [m.training for m in new.modules()] == [m.training for m in old.modules()]
    images = torch.rand(1, 3, 64, 96, generator=torch.Generator().manual_seed(3)) * 255
    with torch.inference_mode():
        want, got = _tensors(old(images)), _tensors(new(images))
    assert want.keys() == got.keys() and want
    for key in want:
        assert torch.equal(want[key], got[key]), key


def test_opening_a_checkpoint_draws_nothing_from_the_random_generator(tmp_path: Path) -> None:
    path = _saved("fosp-s", tmp_path)
    before = torch.get_rng_state()
    load_checkpoint(path)
    assert torch.equal(torch.get_rng_state(), before), "the build drew PyTorch's default initialisation to discard it"


def test_opening_a_checkpoint_allocates_no_throwaway_weights(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    path = _saved("segformer-b0", tmp_path)
    real: list[str] = []
    reset = nn.Linear.reset_parameters

    def counted(self: nn.Linear) -> None:
        if not self.weight.is_meta:
            real.append(type(self).__name__)
        reset(self)

    monkeypatch.setattr(nn.Linear, "reset_parameters", counted)
    load_checkpoint(path)
    assert real == [], f"{len(real)} linear layers built real weights only to have them overwritten"


def test_a_model_built_meanwhile_on_another_thread_is_real() -> None:
    from fosp_core.model.weight_init import on_meta_device

    built: list[nn.Module] = []
    with on_meta_device():
        assert torch.empty(1).is_meta
        worker = threading.Thread(target=lambda: built.append(build_model("segformer-b0")))
        worker.start()
        worker.join()
    assert not any(t.is_meta for t in _state(built[0]).values())
    assert not torch.empty(1).is_meta


def test_assigned_weights_lie_in_fresh_aligned_memory(tmp_path: Path) -> None:
    """A tensor read from a safetensors file lies at the file's offset (40 mod 64 here): assigned as it is, the
    CPU kernels took other paths and the logits differed in the last bits from the old path's."""
    model = load_checkpoint(_saved("segformer-b0", tmp_path))
    odd = [k for k, t in _state(model).items() if t.data_ptr() % 64]
    assert not odd, odd
