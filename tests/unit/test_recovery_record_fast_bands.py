"""The record encoder skips the work of a band with no smoke and no ignore pixel, and packs a band with
no ignore pixel as it is (`recovery_records._planes`: the whole-mask record of a first commit at 48 MP
took 130-190 ms, 34-90 ms now; ``bench/bench_first_commit_record.py``). Its bytes stay the original
encoder's for every kind of band, odd values included (neither smoke nor ignore: background)."""

from __future__ import annotations

import numpy as np
import pytest

from fosp_core.annotation import recovery_records
from fosp_core.annotation.recovery_records import apply_records, encode_record, read_log
from tests.unit.record_reference import reference_record


def _mask() -> np.ndarray:
    rng = np.random.default_rng(7)
    mask = np.zeros((300, 257), np.uint8)  # 257: bands that end inside a byte
    mask[24:48] = 1  # a band all smoke
    mask[72:96] = rng.choice(np.array([0, 1], np.uint8), (24, 257))  # smoke, no ignore
    mask[120:144] = rng.choice(np.array([0, 1, 255], np.uint8), (24, 257))  # all three
    mask[168:192, 5:9] = 255  # ignore alone
    mask[216:240] = rng.choice(np.array([0, 1, 7, 255], np.uint8), (24, 257))  # an odd value: background
    mask[264:288, 100] = 7  # an odd value alone
    return mask


@pytest.mark.parametrize("rect", [(0, 300, 0, 257), (20, 290, 3, 250), (168, 192, 5, 9), (299, 300, 0, 257)])
def test_every_kind_of_band_encodes_as_the_original_encoder_does(rect: tuple[int, int, int, int],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(recovery_records, "_BAND", 24)  # 24-row bands: one kind each
    mask = _mask()
    assert encode_record(mask, rect, "edited") == reference_record(mask, rect, "edited")


def test_a_record_of_skipped_bands_reads_back(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(recovery_records, "_BAND", 24)
    mask = _mask()
    log = tmp_path / "m.png.recovery"
    log.write_bytes(encode_record(mask, (0, 300, 0, 257), "edited"))
    got, _ = apply_records(None, read_log(log))
    assert np.array_equal(got, np.where((mask == 1) | (mask == 255), mask, 0))
