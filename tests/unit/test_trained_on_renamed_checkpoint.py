"""A checkpoint's record of the images it was trained on is read whatever its name: which reader a file
needs is told by its first bytes (`fosp_core.checkpoint_files.is_safetensors`, commit 4f57a83), so a FoSp
safetensors checkpoint renamed ``.pt`` keeps its "trained on" verdicts (Compare's column, `fosp
eval-trained`, the canvas note) instead of answering "unknown" for every image as a pickle does. A torch
file is still never loaded for it, whatever its name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import torch

from fosp_core.trained_on import METADATA_KEY, checkpoint_trained_images, fingerprint, image_note, trained_on
from tests.unit.test_train_support import TINY_MODEL


@pytest.fixture
def images(tmp_path: Path) -> tuple[Path, Path]:
    trained, held = tmp_path / "trained.png", tmp_path / "held.png"
    trained.write_bytes(b"trained image bytes")
    held.write_bytes(b"held-out image bytes")
    return trained, held


@pytest.fixture
def recorded(tmp_path: Path, images: tuple[Path, Path]) -> Path:
    """A tiny FoSp checkpoint recording that it was trained on `images[0]` only."""
    from fosp_core.model.registry import build_model
    from fosp_core.train import model_io

    torch.manual_seed(0)
    path = tmp_path / "best.safetensors"
    model_io.save_weights(build_model("fosp-s", **TINY_MODEL), path,
                          metadata={METADATA_KEY: fingerprint([images[0]]).to_metadata()})
    return path


@pytest.mark.parametrize("name", ["best.pt", "best.pth", "best.bin", "best.ckpt", "best"])
def test_a_fosp_checkpoint_renamed_keeps_its_trained_images(tmp_path: Path, recorded: Path,
                                                            images: tuple[Path, Path], name: str) -> None:
    renamed = tmp_path / "renamed" / name
    renamed.parent.mkdir()
    shutil.copy(recorded, renamed)

    assert checkpoint_trained_images(renamed) == checkpoint_trained_images(recorded) is not None
    assert trained_on(renamed, list(images)) == [True, False]
    assert image_note(renamed, images[0]) == image_note(recorded, images[0]) != ""


@pytest.mark.parametrize("name", ["last.pt", "weights.safetensors"])
def test_a_torch_file_is_not_loaded_for_it_whatever_its_name(tmp_path: Path, images: tuple[Path, Path],
                                                             monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    path = tmp_path / name
    torch.save({"metadata": {METADATA_KEY: fingerprint([images[0]]).to_metadata()}}, path)
    loads: list[object] = []
    monkeypatch.setattr(torch, "load", lambda *a, **k: loads.append(a))

    assert checkpoint_trained_images(path) is None
    assert trained_on(path, list(images)) == [None, None]
    assert loads == []
