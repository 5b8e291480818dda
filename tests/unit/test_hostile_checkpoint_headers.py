"""Safetensors headers that lie (offsets past the file's end, two tensors on the same bytes, a header
length of a terabyte) are refused as unreadable, naming the file, before any weight is read; an fp64 copy
of a FoSp checkpoint loads (cast to the model's fp32). These worked when the hostile-day sweep tried them;
pinned here."""

from __future__ import annotations

import json
import struct
from collections.abc import Callable
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file, save_file

from fosp_core.checkpoint import CheckpointError, load_checkpoint, read_metadata


def _split(base: Path) -> tuple[dict, bytes]:
    raw = base.read_bytes()
    size = struct.unpack("<Q", raw[:8])[0]
    return json.loads(raw[8:8 + size]), raw[8 + size:]


def _with_header(path: Path, header: dict, body: bytes) -> Path:
    text = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(text)) + text + body)
    return path


def _past_the_end(folder: Path, base: Path) -> Path:
    header, body = _split(base)
    key = next(k for k in header if k != "__metadata__")
    start, end = header[key]["data_offsets"]
    header[key] = {**header[key], "data_offsets": [start, end + 10**9]}
    return _with_header(folder / "lie.safetensors", header, body)


def _overlapping(folder: Path, base: Path) -> Path:
    header, body = _split(base)
    first, second = [k for k in header if k != "__metadata__"][:2]
    header[second] = {**header[second], "data_offsets": header[first]["data_offsets"]}
    return _with_header(folder / "overlap.safetensors", header, body)


def _huge_header(folder: Path, base: Path) -> Path:
    path = folder / "huge.safetensors"
    path.write_bytes(struct.pack("<Q", 10**12) + b'{"__metadata__":{}}')
    return path


LIARS: dict[str, Callable[[Path, Path], Path]] = {
    "offsets_past_the_end": _past_the_end, "overlapping_offsets": _overlapping, "header_length_1TB": _huge_header}


@pytest.mark.parametrize("kind", list(LIARS))
def test_a_header_that_lies_is_refused(tmp_path: Path, tiny_checkpoint_file: Path, kind: str) -> None:
    path = LIARS[kind](tmp_path, tiny_checkpoint_file)

    with pytest.raises(CheckpointError, match="not a readable safetensors file") as caught:
        load_checkpoint(path)

    assert str(path) in str(caught.value)


def test_an_fp64_copy_loads_as_fp32(tmp_path: Path, tiny_checkpoint_file: Path) -> None:
    tensors = load_file(str(tiny_checkpoint_file))
    path = tmp_path / "fp64.safetensors"
    save_file({k: v.double() if v.is_floating_point() else v for k, v in tensors.items()}, str(path),
              metadata=read_metadata(tiny_checkpoint_file))

    model = load_checkpoint(path)

    state = model.state_dict()
    assert all(state[k].dtype == torch.float32 and torch.equal(state[k], v) for k, v in tensors.items()
               if v.is_floating_point())
