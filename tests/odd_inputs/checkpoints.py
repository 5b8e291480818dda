"""Broken and hostile checkpoints: ``CHECKPOINTS``, kind -> (maker, word), every one of them refused
by the model loader; `tiny_checkpoint` writes the valid one they are made from."""

from __future__ import annotations

import io
import pickle
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
    """A valid fosp-s checkpoint (seed 0) at `path`: the base the broken ones are made from."""
    import torch

    from fosp_core.checkpoint import save_checkpoint
    from fosp_core.model import build_model

    torch.manual_seed(0)
    return save_checkpoint(build_model("fosp-s").eval(), path)


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
}


