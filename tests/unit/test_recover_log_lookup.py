"""`fosp_core.annotation.recovery.recover` finds a log's image by its name: a plain log
(``<id>.png.recovery``) with no work per image of the project, and a long id's log in short form
(``<cut>~<digest>.png.recovery``) from the long ids alone. Each opening that found any log (after a crash)
named every image's log before (`log_path` of each of the project's images)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation import recovery
from fosp_core.annotation.recovery import encode_record, log_path, recover

LONG = "n" * 251


def _mask() -> np.ndarray:
    mask = np.zeros((8, 8), np.uint8)
    mask[:3] = 1
    return mask


@pytest.mark.parametrize("crashed", ["img_000007", LONG])
def test_a_log_is_matched_without_naming_every_images_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          crashed: str) -> None:
    masks = tmp_path / "masks"
    masks.mkdir()
    ids = [f"img_{i:06d}" for i in range(500)] + [LONG]
    paths = {masks / f"{i}.png": i for i in ids}
    log_path(masks / f"{crashed}.png").write_bytes(encode_record(_mask(), (0, 8, 0, 8), "edited"))
    named: list[Path] = []

    def counted(path: Path) -> Path:
        named.append(path)
        return log_path(path)

    monkeypatch.setattr(recovery, "log_path", counted)
    saved: list[tuple[str, str]] = []
    report = recover(paths, lambda i: None, lambda i, mask, status: saved.append((i, status)))
    assert report.recovered == [crashed] and saved == [(crashed, "edited")]
    assert named == ([] if crashed != LONG else [masks / f"{LONG}.png"])  # the long ids' logs only
