"""The library says when its input is clearly not what it reads it as, without changing what it returns
(docs/library.md, "Scores against labels"):

- `read_mask` read a grayscale photo as a soft mask (smoke where the value is at least half the range)
  without a word: it now warns (`NotAMaskWarning`) naming the file, what it read and how to read a photo;
  masks saved as JPEG or blurred (mostly at the two ends of the range) are read as before, silently.
- a 0/255 label (SMOKE5K's gt read with PIL) given to the scores has its smoke scored as *ignore*, and a
  0/1 uint8 mask given as the probability (uint8 means 0..255: 1 is 1/255) predicts nothing: both warn
  (`LabelEncodingWarning`), once a call, pointing at the caller's line; the scores are unchanged.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

import fosp_core
from fosp_core.io.masks import read_mask
from fosp_core.metrics import MetricAccumulator, mae, per_image_scores, sod_image_scores
from fosp_core.paths import DEMO_DIR

PHOTO = sorted((DEMO_DIR / "JPEGImages").glob("*.jpg"))[0]
LABEL = DEMO_DIR / "SegmentationClass" / f"{PHOTO.stem}.png"


def _caught(call, *args, **kwargs):  # noqa: ANN001, ANN202
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call(*args, **kwargs)
    return result, [w for w in caught if issubclass(w.category, fosp_core.MaskWarning)]


def _save_png(path: Path, array: np.ndarray) -> Path:
    Image.fromarray(array).save(path)
    return path


def test_a_grayscale_photo_read_as_a_mask_warns_and_reads_as_before(tmp_path: Path) -> None:
    gray = np.asarray(Image.open(PHOTO).convert("L"))
    path = _save_png(tmp_path / "photo-gray.png", gray)
    mask, caught = _caught(read_mask, path)
    assert [w.category for w in caught] == [fosp_core.NotAMaskWarning]
    text = str(caught[0].message)
    assert str(path) in text and "photo" in text and "read_image" in text and "grey levels" in text, text
    assert caught[0].filename == __file__  # the caller's line, not fosp_core's
    assert np.array_equal(mask, (gray >= 128).astype(np.uint8))  # unchanged: a soft mask cut at half


def test_a_grayscale_photo_saved_as_rgb_warns_too(tmp_path: Path) -> None:
    gray = np.asarray(Image.open(PHOTO).convert("L"))
    path = _save_png(tmp_path / "photo-rgb.png", np.dstack([gray] * 3))
    _, caught = _caught(read_mask, path)
    assert [w.category for w in caught] == [fosp_core.NotAMaskWarning]


def test_masks_read_silently(tmp_path: Path) -> None:
    label = read_mask(LABEL)
    m255 = (label == 1).astype(np.uint8) * 255
    files = [LABEL, _save_png(tmp_path / "m255.png", m255), _save_png(tmp_path / "m01.png", (label == 1).astype(np.uint8)),
             _save_png(tmp_path / "blurred.png", cv2.GaussianBlur(m255, (0, 0), 3))]
    for quality in (95, 30):
        buffer = io.BytesIO()
        Image.fromarray(m255).save(buffer, "JPEG", quality=quality)
        (tmp_path / f"q{quality}.jpg").write_bytes(buffer.getvalue())
        files.append(tmp_path / f"q{quality}.jpg")
    for path in files:
        _, caught = _caught(read_mask, path)
        assert caught == [], (path, [str(w.message) for w in caught])


def _label() -> np.ndarray:
    label = np.zeros((40, 60), np.uint8)
    label[10:30, 20:50] = 1
    return label


def test_a_0_255_label_warns_and_scores_as_before() -> None:
    label = _label() * 255
    prob = _label().astype(np.float32)
    for call in (per_image_scores, sod_image_scores, mae):
        result, caught = _caught(call, prob, label)
        assert [w.category for w in caught] == [fosp_core.LabelEncodingWarning], call
        text = str(caught[0].message)
        assert "0 and 255" in text and "ignore" in text and "(label == 255)" in text and "read_mask" in text, text
        assert caught[0].filename == __file__
    scores, _ = _caught(per_image_scores, prob, label)
    assert scores["n_valid"] == int((label == 0).sum()) and scores["tp"] == 0  # its smoke left out, as before


def test_a_0_1_mask_given_as_the_probability_warns_and_scores_as_before() -> None:
    label = _label()
    for call in (per_image_scores, sod_image_scores, mae):
        _, caught = _caught(call, label, label)  # uint8 0/1: read as 0 and 1/255
        assert [w.category for w in caught] == [fosp_core.LabelEncodingWarning], call
        text = str(caught[0].message)
        assert "0/1" in text and "1/255" in text and "astype(bool)" in text, text
    scores, _ = _caught(per_image_scores, label, label)
    assert scores["tp"] == 0 and scores["f_beta"] == 0.0


def test_the_accumulator_warns_once_an_image() -> None:
    acc = MetricAccumulator()
    _, caught = _caught(acc.add, _label(), _label() * 255, "x")
    assert len(caught) == 2 and caught[0].message.args != caught[1].message.args  # one for each, once
    assert {w.filename for w in caught} == {__file__}


@pytest.mark.parametrize("prob", [np.zeros((40, 60), np.uint8), (_label() * 200).astype(np.uint8),
                                  _label().astype(bool), _label().astype(np.float32)])
def test_usual_inputs_are_silent(prob: np.ndarray) -> None:
    label = _label()
    label[0:2] = 255  # an ignore band
    for call in (per_image_scores, sod_image_scores, mae):
        _, caught = _caught(call, prob, label)
        assert caught == [], [str(w.message) for w in caught]
    _, caught = _caught(per_image_scores, _label().astype(np.float32), np.zeros((40, 60), np.uint8))
    assert caught == []
