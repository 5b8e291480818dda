"""The same weights saved at another float width are the same model (R3 review, session 36).

README's loop pre-labels with the default model (fp16 file), fine-tunes, then runs
``fosp project prelabel photos --checkpoint my-finetune --replace-predicted``: the run folder's best.safetensors.
A fine-tune that beat nothing keeps the starting weights there, saved as fp32 (each an exact copy of the fp16
value); `weights_digest` hashed the dtype and bytes, so the same weights read as another model: every mask the
default model made was predicted again, identical, and said "0 new, 2 replaced" (on a real folder: hours for
nothing). `weights_digest` now reads a file whose every fp32 tensor is an exact fp16 value as those fp16 values;
a file with any other fp32 value (a real fine-tune's) digests as before, so no stamp of an existing project changes."""

from __future__ import annotations

import hashlib
import json
import struct
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from safetensors import safe_open
from safetensors.torch import save_file

from fosp_core.annotation.prelabel_weights import weights_digest
from fosp_core.trained_on import DIGEST_BYTES
from tests.gui.tiny_model import save_tiny_checkpoint


def _resaved(src: Path, dst: Path, dtype: torch.dtype, nudge: bool = False) -> Path:
    """`src`'s tensors (floats as `dtype`) and metadata saved at `dst`; `nudge`: one value moved off fp16's grid."""
    with safe_open(str(src), "pt") as f:
        meta = f.metadata()
        tensors = {k: f.get_tensor(k) for k in f.keys()}  # noqa: SIM118
    out = {k: (t.to(dtype) if t.is_floating_point() else t).contiguous() for k, t in tensors.items()}
    if nudge:
        name = next(k for k, t in sorted(out.items()) if t.is_floating_point() and t.numel() > 1)
        out[name] = out[name].clone()
        out[name].view(-1)[0] += 1e-7 if dtype == torch.float32 else 0
    save_file(out, str(dst), metadata=meta)
    return dst


@pytest.fixture(scope="module")
def half(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("weights")
    tiny = save_tiny_checkpoint(folder / "tiny.safetensors")
    return _resaved(tiny, folder / "half.safetensors", torch.float16)


def _old_digest(path: Path) -> str:
    """The digest as it was before this change (the dtype and bytes of each tensor, in name order)."""
    from fosp_core.annotation.prelabel_weights import _model_words

    data = path.read_bytes()
    (size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + size])
    meta = header.pop("__metadata__", None) or {}
    h = hashlib.blake2b(_model_words(meta), digest_size=DIGEST_BYTES)
    for name in sorted(header):
        begin, end = header[name]["data_offsets"]
        h.update(json.dumps([name, header[name]["dtype"], header[name]["shape"]]).encode())
        h.update(data[8 + size + begin:8 + size + end])
    return h.hexdigest()


def test_fp16_weights_saved_as_fp32_are_the_same_weights(half: Path, tmp_path: Path) -> None:
    upcast = _resaved(half, tmp_path / "best.safetensors", torch.float32)
    assert weights_digest(half) and weights_digest(upcast) == weights_digest(half)


def test_other_fp32_weights_digest_as_before(half: Path, tmp_path: Path) -> None:
    trained = _resaved(half, tmp_path / "trained.safetensors", torch.float32, nudge=True)
    assert weights_digest(trained) != weights_digest(half)
    assert weights_digest(trained) == _old_digest(trained)  # no stamp of a real fine-tune's changes
    assert weights_digest(half) == _old_digest(half)  # nor of an fp16 file's


def test_the_readme_replace_line_after_a_fine_tune_that_kept_the_start_has_nothing_to_do(
        half: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from fosp_core.cli import main

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    photos = tmp_path / "photos"
    photos.mkdir()
    rng = np.random.default_rng(0)
    for k in range(2):
        Image.fromarray(rng.integers(0, 255, (48, 64, 3), np.uint8)).save(photos / f"p{k}.png")
    common = ["--input-size", "64", "--device", "cpu"]
    assert main(["project", "init", str(photos)]) == 0
    assert main(["project", "prelabel", str(photos), "--checkpoint", str(half), *common]) == 0
    best = _resaved(half, tmp_path / "best.safetensors", torch.float32)  # the run kept the start's weights
    capsys.readouterr()
    assert main(["project", "prelabel", str(photos), "--checkpoint", str(best), "--replace-predicted", *common]) == 3
    said = capsys.readouterr()
    assert "nothing to replace" in said.out + said.err, said  # was: "0 new, 2 replaced", exit 0
