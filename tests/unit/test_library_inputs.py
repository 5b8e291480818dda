"""fosp_core as a library: what a Predictor takes as an image, and what it says about the rest.

A researcher's notebook passes PIL images, file paths, (H, W, 1) grayscale, a 16-bit or float array,
RGBA, a channels-first tensor's array, a whole batch. Before: PIL images and paths were refused
('expected a numpy array, got JpegImageFile'), (H, W, 1) refused though (H, W) is taken, a single
image given to predict_batch was read as H grayscale rows, and no error said what to do instead.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo" / "JPEGImages"


@pytest.fixture(scope="module")
def predictor(tiny_checkpoint_file: Path):
    import torch

    from fosp_core.infer import Predictor

    torch.set_num_threads(1)
    return Predictor(tiny_checkpoint_file, device="cpu", input_size=64)


@pytest.fixture(scope="module")
def demo_file() -> Path:
    return sorted(DEMO.glob("*.jpg"))[0]


@pytest.fixture(scope="module")
def small_rgb(demo_file: Path) -> np.ndarray:
    from fosp_core.io.images import read_image

    return np.ascontiguousarray(read_image(demo_file).rgb[::8, ::8])  # 64 x 64


def test_pil_image_and_paths_are_predicted_as_the_array(predictor, demo_file: Path) -> None:
    from fosp_core.io.images import read_image

    want = predictor.predict(read_image(demo_file).rgb).probability
    with Image.open(demo_file) as im:
        np.testing.assert_array_equal(predictor.predict(im).probability, want)
    np.testing.assert_array_equal(predictor.predict(str(demo_file)).probability, want)
    np.testing.assert_array_equal(predictor.predict(demo_file).probability, want)
    batch = predictor.predict_batch([demo_file, Image.open(demo_file)])
    for pred in batch:
        np.testing.assert_array_equal(pred.probability, want)


def test_grayscale_with_a_channel_axis_is_grayscale(predictor, small_rgb: np.ndarray) -> None:
    gray = small_rgb[..., 0]
    want = predictor.predict(gray).probability
    np.testing.assert_array_equal(predictor.predict(gray[..., None]).probability, want)


@pytest.mark.parametrize(("make", "words"), [
    (lambda a: a.astype(np.uint16) * 257, ">> 8"),
    (lambda a: a.astype(np.float32) / 255, "* 255"),
    (lambda a: np.dstack([a, np.full(a.shape[:2], 255, np.uint8)]), "[..., :3]"),
    (lambda a: np.ascontiguousarray(a.transpose(2, 0, 1)), "transpose(1, 2, 0)"),
    (lambda a: a[None], "predict_batch"),
])
def test_refused_arrays_say_what_to_pass(predictor, small_rgb: np.ndarray, make, words: str) -> None:
    with pytest.raises(ValueError, match="fosp_core.infer.as_rgb|transpose|predict_batch") as info:
        predictor.predict(make(small_rgb))
    assert words in str(info.value)


def test_a_list_given_to_predict_and_one_image_to_predict_batch(predictor, small_rgb: np.ndarray,
                                                                demo_file: Path) -> None:
    with pytest.raises(TypeError, match="predict_batch"):
        predictor.predict([small_rgb, small_rgb])
    with pytest.raises(ValueError, match=r"one image .*predict\(\)"):
        predictor.predict_batch(small_rgb)  # was: 64 "images" of one grayscale row each
    with pytest.raises(ValueError, match=r"one image .*predict\(\)"):
        predictor.predict_batch(str(demo_file))  # was: one image per character
    assert len(predictor.predict_batch(np.stack([small_rgb, small_rgb]))) == 2  # (N, H, W, 3) is a batch


def test_as_rgb_converts_by_the_documented_rules(small_rgb: np.ndarray) -> None:
    from fosp_core.infer import as_rgb

    np.testing.assert_array_equal(as_rgb(small_rgb.astype(np.uint16) * 257), small_rgb)
    np.testing.assert_array_equal(as_rgb(small_rgb.astype(np.float32) / 255), small_rgb)
    np.testing.assert_array_equal(as_rgb(small_rgb.astype(np.int64)), small_rgb)
    opaque = np.dstack([small_rgb, np.full(small_rgb.shape[:2], 255, np.uint8)])
    np.testing.assert_array_equal(as_rgb(opaque), small_rgb)
    clear = opaque.copy()
    clear[..., 3] = 0
    assert not as_rgb(clear).any()  # alpha over black
    assert as_rgb(small_rgb[..., 0]).shape == small_rgb.shape
    assert as_rgb(np.ones((4, 5), bool)).tolist() == np.full((4, 5, 3), 255).tolist()
    with pytest.raises(ValueError, match=r"0\.5\.\.300.*\[0, 1\]"):
        as_rgb(np.array([[0.5, 300.0]], np.float32))
    with pytest.raises(ValueError, match="NaN"):
        as_rgb(np.array([[np.nan]], np.float32))
    with pytest.raises(ValueError, match="-1..3"):
        as_rgb(np.array([[-1, 3]], np.int32))


def test_predictor_pickles_for_a_dataloader_worker(predictor, small_rgb: np.ndarray) -> None:
    want = predictor.predict(small_rgb).probability
    copy = pickle.loads(pickle.dumps(predictor))  # was: TypeError cannot pickle '_thread.RLock' object
    np.testing.assert_array_equal(copy.predict(small_rgb).probability, want)
    assert copy.tau == predictor.tau and copy.input_size == predictor.input_size


def test_predictor_repr_says_how_it_runs(predictor) -> None:
    text = repr(predictor)
    assert text.startswith("Predictor(") and "device='cpu'" in text and "input_size=64" in text


def test_need_takes_the_prediction_field_names(predictor, small_rgb: np.ndarray) -> None:
    pred = predictor.predict(small_rgb, need=["focus_map", "background", "foreground_energy", "side_maps"])
    assert pred.background is not None and pred.foreground_energy and pred.side_maps


def test_what_is_no_image_is_still_a_value_error_for_old_callers(predictor) -> None:
    from fosp_core.infer.stream import Frame, predict_stream

    with pytest.raises(ValueError, match="expected an image"):
        predictor.predict(None)
    frame = Frame(Path("x.png"), 0, [[1, 2, 3]], "x")  # type: ignore[arg-type]
    [(done, pred)] = list(predict_stream(predictor, [frame]))
    assert pred is None and "inference failed" in (done.error or "")  # told, the run not stopped
