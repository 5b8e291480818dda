"""`import fosp_core` as a researcher uses it: a small public surface, the default model in one call.

Before: ``fosp_core`` exported only ``__version__``; the default model's file had to be found by
reading `fosp_core.paths` (the Predictor docstring names a 'fosp-s.safetensors' that does not exist)
and there was no one-call prediction.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo" / "JPEGImages"


def test_the_public_names_import_lazily_without_torch() -> None:
    code = ("import sys, fosp_core; names = sorted(fosp_core.__all__); "
            "assert 'torch' not in sys.modules, 'torch imported'; "
            "missing = [n for n in names if not hasattr(fosp_core, n)]; "
            "assert fosp_core.paths.DEMO_DIR.is_dir() and callable(fosp_core.metrics.mae), 'subpackages'; "
            "print(names, missing)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    names, missing = out.stdout.strip().rsplit("] ", 1)
    for name in ("predict", "load_predictor", "default_checkpoint", "Predictor", "Prediction", "as_rgb",
                 "read_image", "read_mask", "write_mask_png", "open_dataset", "per_image_scores"):
        assert repr(name) in names
    assert missing == "[]"


def test_predict_keeps_its_predictor_and_each_calls_tau(tiny_checkpoint_file: Path) -> None:
    import torch

    import fosp_core
    from fosp_core.infer import api

    torch.set_num_threads(1)
    image = sorted(DEMO.glob("*.jpg"))[0]
    try:
        first = fosp_core.predict(image, tiny_checkpoint_file, device="cpu", input_size=64)
        kept = api._kept[1]
        assert first.shape == (512, 512) and first.probability.dtype == np.float32
        other = fosp_core.predict(image, tiny_checkpoint_file, tau=0.6, device="cpu", input_size=64)
        assert api._kept[1] is kept and other.tau == pytest.approx(0.6)
        again = fosp_core.predict(str(image), tiny_checkpoint_file, device="cpu", input_size=64)
        assert again.tau == first.tau  # the 0.6 of the call before did not stay
        np.testing.assert_array_equal(again.probability, first.probability)
        fosp_core.predict(image, tiny_checkpoint_file, device="cpu", input_size=96)
        assert api._kept[1] is not kept  # other options: another predictor
    finally:
        api.forget_predictor()


def test_no_default_model_says_what_to_pass(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import fosp_core
    from fosp_core import paths

    monkeypatch.setattr(paths, "BUNDLED_MODELS", tmp_path / "none")
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("FOSP_MODELS", raising=False)
    with pytest.raises(LookupError, match=r"none.*checkpoint=FILE.*FOSP_MODELS"):
        fosp_core.default_checkpoint()
    with pytest.raises(LookupError, match="checkpoint=FILE"):
        fosp_core.load_predictor()


def test_load_predictor_takes_a_file_and_a_missing_one_is_named(tiny_checkpoint_file: Path,
                                                               tmp_path: Path) -> None:
    import fosp_core
    from fosp_core.checkpoint import CheckpointError

    predictor = fosp_core.load_predictor(tiny_checkpoint_file, device="cpu", input_size=64)
    assert isinstance(predictor, fosp_core.Predictor) and predictor.input_size == 64
    with pytest.raises(CheckpointError, match="nope.safetensors"):
        fosp_core.load_predictor(tmp_path / "nope.safetensors")


def test_a_device_that_is_not_there_names_the_one_that_is() -> None:
    import torch

    from fosp_core.infer import DeviceError, resolve_device

    if torch.cuda.is_available():
        pytest.skip("CUDA is present here")
    with pytest.raises(DeviceError, match=r"not available: .*; 'auto' uses the best device present \((cpu|mps)\)"):
        resolve_device("cuda")
