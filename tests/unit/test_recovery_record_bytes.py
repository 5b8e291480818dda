"""The recovery log's record bytes are pinned: `encode_record` (planes made band by band, their
base64 joined into the line) writes exactly the bytes of the original encoder (``json.dumps`` of the
whole record, the planes' base64 of one `np.packbits` each), and they read back as the mask's
pixels. Rectangles of odd widths and heights, whole masks taller than one band, one pixel, a status
change alone; masks from a real SMOKE5K label with an ignore band."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation import recovery_records
from fosp_core.annotation.recovery import apply_records, encode_record, read_log
from tests.unit.record_reference import reference_record

PHOTO = "ckakldp3vdjmg0b12dcxe2tgz"


@pytest.fixture(scope="module")
def label(shared_data: Path) -> np.ndarray:
    gt = cv2.imread(str(shared_data / "smoke5k-train" / "gt" / f"{PHOTO}.png"), cv2.IMREAD_GRAYSCALE)
    mask = cv2.resize((gt > 127).astype(np.uint8), (1203, 901), interpolation=cv2.INTER_NEAREST)
    mask[40:61, 100:707] = 255
    assert (mask == 1).any() and (mask == 255).any() and (mask == 0).any()
    return mask


RECTS = [(0, 901, 0, 1203), (3, 900, 5, 1202), (40, 61, 99, 708), (7, 8, 9, 10), (0, 901, 600, 601),
         (450, 451, 0, 1203), (0, 777, 1, 1000)]


@pytest.mark.parametrize("band", [1 << 18, 24 * 7, 1])  # bands of many rows, of a few, of 24 rows
@pytest.mark.parametrize("rect", RECTS, ids=[str(r) for r in RECTS])
def test_a_record_has_the_bytes_of_the_original_encoder(label: np.ndarray, rect: tuple[int, int, int, int],
                                                        band: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(recovery_records, "_BAND", band)
    line = encode_record(label, rect, "edited")
    assert line == reference_record(label, rect, "edited")


def test_no_rectangle_is_a_status_record(label: np.ndarray) -> None:
    assert encode_record(label, None, "reviewed") == reference_record(label, None, "reviewed")


def test_records_read_back_as_the_mask(label: np.ndarray, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(recovery_records, "_BAND", 24 * 5)
    log = tmp_path / "m.png.recovery"
    later = label.copy()
    later[100:333, 17:500] = 1
    log.write_bytes(encode_record(label, (0, 901, 0, 1203), "edited") + encode_record(later, (99, 334, 17, 501),
                                                                                          "reviewed"))
    mask, status = apply_records(None, read_log(log))
    assert np.array_equal(mask, later) and status == "reviewed"
