"""`read_model_info` (each load of a model in the Model panel: `app.analysis.inference_worker`) read every tensor of a
safetensors checkpoint (`read_checkpoint`) only to count its parameters. It counts them from the header's shapes
now, no tensor read: the same count as before (the default model, a tiny one, a pickle read whole as before), and
a damaged or malicious file refused as before, in the same words. bench/bench_model_load.py measures it."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest
import torch

import fosp_core.checkpoint as checkpoint
from fosp_core.analysis.settings import read_model_info
from fosp_core.checkpoint import CheckpointError, read_checkpoint

DEFAULT = Path(__file__).resolve().parents[2] / "resources" / "models" / "fosp-default.safetensors"


def _counted_before(path: Path) -> int:
    """The count as read_model_info made it before: every tensor read."""
    tensors, _meta = read_checkpoint(path)
    return sum(t.numel() for k, t in tensors.items() if "running_" not in k and "num_batches" not in k)


def test_loose_s37_the_count_reads_no_tensor(tiny_checkpoint_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = [p for p in (DEFAULT, tiny_checkpoint_file) if p.is_file()]
    before = {path: (_counted_before(path), read_checkpoint(path)[1]) for path in files}

    def no_read(path: object) -> None:
        raise AssertionError(f"every tensor of {path} read to count them")

    monkeypatch.setattr(checkpoint, "read_checkpoint", no_read)  # HEAD: read_model_info read them all
    for path in files:
        info = read_model_info(path)
        assert info.parameters == before[path][0] > 0
        assert info.variant == before[path][1]["model_name"]
    if DEFAULT.is_file():
        assert read_model_info(DEFAULT).parameters == 6_822_424  # the default model's card


def test_loose_s37_a_pickle_is_counted_as_before(tiny_checkpoint_file: Path, tmp_path: Path) -> None:
    tensors, _meta = read_checkpoint(tiny_checkpoint_file)
    pickled = tmp_path / "tiny.pt"
    torch.save(tensors, pickled)
    assert read_model_info(pickled).parameters == _counted_before(pickled) == _counted_before(tiny_checkpoint_file)


def _header_file(path: Path, header: dict, data: bytes = b"", length: int | None = None) -> Path:
    raw = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(raw) if length is None else length) + raw + data)
    return path


@pytest.mark.parametrize("make", [
    lambda d, tiny: d.joinpath("cut.safetensors").write_bytes(tiny.read_bytes()[:-1000]) and d / "cut.safetensors",
    lambda d, tiny: _header_file(d / "past.safetensors", {"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 1 << 40]}}),
    lambda d, tiny: _header_file(d / "shape.safetensors", {"w": {"dtype": "F32", "shape": [1 << 31, 1 << 31],
                                                                  "data_offsets": [0, 16]}}, bytes(16)),
    lambda d, tiny: _header_file(d / "long.safetensors", {"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}},
                                 bytes(4), length=1 << 62),
    lambda d, tiny: d.joinpath("notes.safetensors").write_text("best model so far\n") and d / "notes.safetensors",
    lambda d, tiny: d.joinpath("empty.safetensors").write_bytes(b"") is not None and d / "empty.safetensors",
], ids=["cut-short", "offsets-past-end", "shape-not-offsets", "header-length", "text", "empty"])
def test_loose_s37_a_damaged_or_malicious_header_is_refused_in_the_same_words(
        tiny_checkpoint_file: Path, tmp_path: Path, make) -> None:  # noqa: ANN001
    path = make(tmp_path, tiny_checkpoint_file)
    with pytest.raises(CheckpointError) as read:
        read_checkpoint(path)
    with pytest.raises(CheckpointError) as described:
        read_model_info(path)
    assert str(described.value) == str(read.value)
