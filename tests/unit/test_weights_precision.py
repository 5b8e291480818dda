"""The precision a checkpoint stores its weights in, from its safetensors header: what the Model panel
says beside the precision the model computes in (every file loads into an fp32 model)."""

from __future__ import annotations

from pathlib import Path

import torch

from fosp_core.analysis.settings import read_model_info
from fosp_core.checkpoint import load_checkpoint, save_checkpoint
from fosp_core.model import build_model
from fosp_core.weights_precision import stored_precision


def test_the_stored_precision_is_read_from_the_header_and_the_model_loads_in_fp32(tmp_path: Path) -> None:
    model = build_model("fosp-s").eval()
    half = save_checkpoint(model, tmp_path / "half.safetensors", dtype=torch.float16)
    full = save_checkpoint(model, tmp_path / "full.safetensors")
    assert stored_precision(half) == "fp16" and stored_precision(full) == "fp32"
    assert read_model_info(half).weights == "fp16" and read_model_info(full).weights == "fp32"
    loaded = load_checkpoint(half, device="cpu")  # what the Model panel runs: fp32 parameters
    assert {p.dtype for p in loaded.parameters()} == {torch.float32}


def test_an_unknown_file_says_nothing(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not weights")
    (tmp_path / "empty.safetensors").write_bytes(b"")
    for name in ("notes.txt", "empty.safetensors", "missing.safetensors"):
        assert stored_precision(tmp_path / name) == ""
