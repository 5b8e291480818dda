"""The video view's model (`app.video.model_source.VideoModelSource`) was built again for a copy of the
checkpoint loaded (the same weights in another file, or exported again under another name): its spec
named the file. A copy of the loaded weights at the same device, precision and input now keeps the model
loaded (its weights' digest read on the load's thread); other weights are loaded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import fosp_core.infer.predictor as predictor_module
from app.video.model_source import VideoModelSource
from tests.gui.tiny_model import WAIT_MS, save_tiny_checkpoint


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny-fosp-s.safetensors")


def _load(qtbot, source: VideoModelSource, path: Path) -> None:  # noqa: ANN001
    with qtbot.waitSignal(source.settled, timeout=WAIT_MS):
        source.choose(path, "cpu", "fp32", "64")
    assert source.spec is not None and source.spec[0] == path.resolve()


def test_a_copy_of_the_loaded_weights_is_not_loaded_again(qtbot, checkpoint: Path, tmp_path: Path,  # noqa: ANN001
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[Path] = []
    real = predictor_module.probability_fn

    def counted(path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        built.append(Path(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(predictor_module, "probability_fn", counted)
    source = VideoModelSource(lambda: None)
    _load(qtbot, source, checkpoint)
    first = source.fn
    copy = Path(shutil.copy(checkpoint, tmp_path / "copy.safetensors"))
    exported = save_tiny_checkpoint(tmp_path / "exported.safetensors", metadata={"card": "again"})
    for other in (copy, exported):
        _load(qtbot, source, other)
        assert source.fn is first, other  # was built again
        assert source.name == other.name  # the panel names the file chosen
    assert built == [checkpoint.resolve()]
    _load(qtbot, source, save_tiny_checkpoint(tmp_path / "seed1.safetensors", seed=1))
    assert source.fn is not first and len(built) == 2  # other weights: loaded
    source.shutdown()
