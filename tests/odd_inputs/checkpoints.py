"""Broken and hostile checkpoints: ``CHECKPOINTS``, kind -> (maker, word), every one of them refused
by the model loader; `tiny_checkpoint` writes the valid one they are made from."""

from __future__ import annotations

import io
import json
import pickle
import struct
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from tests.odd_inputs.images import picture

MALICIOUS_MARKER = "PWNED_BY_PICKLE"


class _Exploit:
    """Unpickling this runs ``open(marker, "w")``: a loader that executes pickles creates the file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # noqa: ANN204
        return (open, (str(self.marker), "w"))


def _malicious_pt(folder: Path) -> Path:
    path = folder / "evil.pt"
    path.write_bytes(pickle.dumps({"weight": _Exploit(folder / MALICIOUS_MARKER)}))
    return path


def _malicious_torch_zip(folder: Path) -> Path:
    import torch

    path = folder / "evil_zip.pth"
    torch.save({"weight": _Exploit(folder / MALICIOUS_MARKER)}, path)
    return path


def tiny_checkpoint(path: Path) -> Path:
    """A valid fosp-s checkpoint (seed 0) at `path`: the base the broken ones are made from (the model built
    once a process: `tests.tiny_checkpoints`)."""
    from tests.tiny_checkpoints import save_tiny_checkpoint

    return save_tiny_checkpoint(path)


def _rewrite(base: Path, path: Path, tensors: Callable[[dict], dict] = lambda t: t,
             meta: Callable[[dict], dict] = lambda m: m) -> Path:
    """`base` written again at `path`, its tensors and metadata changed by the functions given."""
    from safetensors.torch import load_file, save_file

    from fosp_core.checkpoint import read_metadata

    save_file(tensors(load_file(str(base))), str(path), metadata=meta(read_metadata(base)))
    return path


def _truncated_safetensors(folder: Path, base: Path) -> Path:
    path = folder / "cut.safetensors"
    path.write_bytes(base.read_bytes()[: base.stat().st_size // 2])
    return path


def _narrower(tensors: dict) -> dict:
    key = next(k for k, v in tensors.items() if v.ndim == 4)
    return {**tensors, key: tensors[key][:, :1].contiguous()}


def _truncated_pt(folder: Path, base: Path) -> Path:
    import torch

    path = folder / "cut.pt"
    torch.save({"weight": torch.zeros(1000)}, path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return path


def _wrong_shapes(folder: Path, base: Path) -> Path:
    return _rewrite(base, folder / "shapes.safetensors", tensors=_narrower)


def _empty_ckpt(folder: Path, base: Path) -> Path:
    path = folder / "empty.safetensors"
    path.write_bytes(b"")
    return path


def _empty_pt(folder: Path, base: Path) -> Path:
    path = folder / "empty.pt"
    path.write_bytes(b"")
    return path


def _other_variant(folder: Path, base: Path) -> Path:
    """The weights without the Focus head (as a SegFormer's) under fosp-s's metadata."""
    return _rewrite(base, folder / "variant.safetensors",
                    tensors=lambda t: {k: v for k, v in t.items() if not k.startswith("focus.")})


def _bad_config_fields(folder: Path, base: Path) -> Path:
    """Metadata whose config has fields of the wrong type ("channels": "wide")."""
    import json

    def meta(m: dict) -> dict:
        return {**m, "config": json.dumps({**json.loads(m["config"]), "channels": "wide"})}
    return _rewrite(base, folder / "fields.safetensors", meta=meta)


def _image_as_ckpt(folder: Path, base: Path) -> Path:
    path = folder / "photo.safetensors"
    buf = io.BytesIO()
    Image.fromarray(picture()).save(buf, "JPEG")
    path.write_bytes(buf.getvalue())
    return path


def _first_float(tensors: dict) -> str:
    return next(k for k, v in tensors.items() if v.is_floating_point())


def _int8(folder: Path, base: Path) -> Path:
    """Every floating weight stored as int8 (a quantised export of another tool)."""
    import torch

    return _rewrite(base, folder / "int8.safetensors", tensors=lambda t: {
        k: v.to(torch.int8) if v.is_floating_point() else v for k, v in t.items()})


def _extra_key(folder: Path, base: Path) -> Path:
    import torch

    return _rewrite(base, folder / "extra.safetensors", tensors=lambda t: {**t, "junk.weight": torch.zeros(3)})


def _missing_key(folder: Path, base: Path) -> Path:
    return _rewrite(base, folder / "missing.safetensors",
                    tensors=lambda t: {k: v for k, v in t.items() if k != _first_float(t)})


def _newer_format(folder: Path, base: Path) -> Path:
    return _rewrite(base, folder / "newer.safetensors", meta=lambda m: {**m, "format_version": "7"})


def _nan_weights(folder: Path, base: Path) -> Path:
    import torch

    def poison(t: dict) -> dict:
        key = _first_float(t)
        return {**t, key: torch.full_like(t[key], float("nan"))}
    return _rewrite(base, folder / "nan.safetensors", tensors=poison)


def _config_not_json(folder: Path, base: Path) -> Path:
    return _rewrite(base, folder / "config.safetensors", meta=lambda m: {**m, "config": "{not json"})


def _header(folder: Path, name: str, length: int, body: bytes) -> Path:
    """A file of safetensors' layout: the 8-byte little-endian header length, then `body`."""
    path = folder / name
    path.write_bytes(struct.pack("<Q", length) + body)
    return path


def _huge_header(folder: Path, base: Path) -> Path:
    """A header claiming 100 MB in a file of a hundred bytes."""
    return _header(folder, "huge_header.safetensors", 100_000_000, b"{" + b" " * 100)


def _header_length_2e63(folder: Path, base: Path) -> Path:
    return _header(folder, "length.safetensors", 2**63, b"{}")


def _offsets_beyond(folder: Path, base: Path) -> Path:
    """A tensor of 4 GB declared in a file of a few bytes (a reader must not allocate it)."""
    head = json.dumps({"w": {"dtype": "F32", "shape": [1_000_000, 1000],
                             "data_offsets": [0, 4_000_000_000]}}).encode()
    return _header(folder, "offsets.safetensors", len(head), head + b"\0" * 16)


def _hf_segformer(folder: Path, base: Path) -> Path:
    """A Hugging Face SegFormer's names and no FoSp metadata (another tool's model file)."""
    import torch
    from safetensors.torch import save_file

    path = folder / "hf_segformer.safetensors"
    save_file({"segformer.encoder.patch_embeddings.0.proj.weight": torch.zeros(32, 3, 7, 7),
               "decode_head.classifier.weight": torch.zeros(2, 256, 1, 1)}, str(path))
    return path


def _state_dict_pth(folder: Path, base: Path) -> Path:
    """fosp-s's weights as a plain torch.save state dict (safe to read, but no model config)."""
    import torch
    from safetensors.torch import load_file

    path = folder / "plain.pth"
    torch.save(load_file(str(base)), path)
    return path


def _malicious(make: Callable[[Path], Path]) -> Callable[[Path, Path], Path]:
    return lambda folder, base: make(folder)


#: Checkpoints every loader must refuse with a CheckpointError naming the file and holding the word
#: given: kind -> (maker(folder, base), word); `base` is a valid `tiny_checkpoint`.
CHECKPOINTS: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "truncated_safetensors": (_truncated_safetensors, "not a readable safetensors file"),
    "truncated_pt": (_truncated_pt, "damaged or not a PyTorch weights file"),
    "wrong_shapes": (_wrong_shapes, "shape mismatches"),
    "malicious_pickle": (_malicious(_malicious_pt), "it asks for io.open"),
    "malicious_torch_zip": (_malicious(_malicious_torch_zip), "it asks for io.open"),
    "empty_safetensors": (_empty_ckpt, "the file is empty (0 bytes)"),
    "empty_pt": (_empty_pt, "the file is empty (0 bytes)"),
    "other_variant": (_other_variant, "missing keys: focus."),
    "config_wrong_fields": (_bad_config_fields, "channels"),
    "jpeg_named_safetensors": (_image_as_ckpt, "not a readable safetensors file"),
    "int8_weights": (_int8, "dtype mismatches"),
    "extra_key": (_extra_key, "unexpected keys: junk.weight"),
    "missing_key": (_missing_key, "missing keys: "),
    "newer_format_version": (_newer_format, "format_version 7 is newer than this FoSp Studio reads"),
    "nan_weights": (_nan_weights, "NaN or infinite weights"),
    "config_not_json": (_config_not_json, "metadata field 'config' is not JSON"),
    "huge_header": (_huge_header, "not a readable safetensors file"),
    "header_length_2e63": (_header_length_2e63, "not a readable safetensors file"),
    "offsets_beyond_file": (_offsets_beyond, "not a readable safetensors file"),
    "hf_segformer": (_hf_segformer, "not a FoSp checkpoint"),
    "state_dict_pth": (_state_dict_pth, "not a FoSp checkpoint"),
}


