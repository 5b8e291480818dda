"""Compare Two Checkpoints makes its previews at the size its preview labels take in device pixels
(within bounds), not at a fixed 480 px that a wide label at 200 % blew up soft: the bounds
(`preview_side`), the labels' device side (`ComparePreviews.device_side`), and the worker's JPEGs made
at that side for a run of a real photo."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtGui import QImage

from app.training.compare_previews import ComparePreviews
from app.training.compare_worker import (
    PREVIEW_MAX_SIDE,
    PREVIEW_RUN_PIXELS,
    PREVIEW_SIDE,
    CompareWorker,
    preview_side,
)
from fosp_core.analysis.compare_report import CompareRequest
from tests.gui.tiny_model import INPUT, save_tiny_checkpoint

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo" / "JPEGImages"


def test_the_side_follows_the_label_within_its_bounds() -> None:
    assert preview_side(1100, 10) == 1100  # a wide label at 200 %: its device pixels
    assert preview_side(300, 10) == PREVIEW_SIDE  # never below the old size
    assert preview_side(5000, 10) == PREVIEW_MAX_SIDE
    big_run = 2000
    side = preview_side(1600, big_run)
    assert side == PREVIEW_SIDE and preview_side(1600, 10_000) == PREVIEW_SIDE  # a long run: the old size
    mid = preview_side(1600, 200)
    assert PREVIEW_SIDE < mid < PREVIEW_MAX_SIDE and 2 * 200 * mid * mid <= PREVIEW_RUN_PIXELS


def test_the_worker_makes_the_previews_at_the_labels_device_side(qtbot, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    pane = ComparePreviews()
    qtbot.addWidget(pane)
    pane.resize(1200, 500)
    pane.show()
    qtbot.waitExposed(pane)
    logical = pane.device_side()
    assert logical >= 500
    for _caption, label in pane.pairs():  # as on a screen at 200 %
        monkeypatch.setattr(label, "devicePixelRatioF", lambda: 2.0)
    assert pane.device_side() == 2 * logical
    photo = sorted(DEMO.glob("*.jpg"))[0]
    big = tmp_path / "photo.png"
    Image.open(photo).convert("RGB").resize((1600, 1200), Image.Resampling.BICUBIC).save(big)
    checkpoint = save_tiny_checkpoint(tmp_path / "tiny.safetensors")
    worker = CompareWorker()
    worker.label_side = pane.device_side()
    rows: list[tuple[bytes, bytes]] = []
    worker.row.connect(lambda _run, _row, a, b: rows.append((a, b)))
    worker.run(1, CompareRequest((big,), checkpoint, checkpoint, device="cpu", input_size=INPUT))
    assert len(rows) == 1
    want = min(2 * logical, PREVIEW_MAX_SIDE)
    for data in rows[0]:
        image = QImage.fromData(data, "JPG")
        assert max(image.width(), image.height()) == want  # was 480 whatever the label
