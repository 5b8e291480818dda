"""The metrics box's "this image" row never shows the last image's scores beside another image.

Found in the analyst's day of session 29 (task I): going from one scored image to another, the row
kept the last image's F_β, IoU, P, R and 𝓜 until the box's refresh timer ran (60 ms after the
switch, later on a busy machine; a window grab in between showed 45.7 under an image that scores
76.1). The row now follows the image shown at once, from the scores already known, or reads "–"
until they are."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.analysis.metrics_box import HEADERS, _fmt
from fosp_core.analysis.results import find_label, image_scores, read_label
from tests.gui.run_all_wait import run_all
from tests.gui.tiny_model import WAIT_MS, ready_window, save_tiny_checkpoint


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny-fosp-s.safetensors")


def _row(ctl) -> tuple[str, ...]:  # noqa: ANN001
    return tuple(ctl.metrics.value("this image", h) for h in HEADERS)


def test_this_image_row_follows_the_image_shown_at_once(qtbot, make_window, checkpoint, demo_dir, tmp_path,
                                                        monkeypatch) -> None:
    root = tmp_path / "data"
    for folder in ("JPEGImages", "SegmentationClass"):
        shutil.copytree(demo_dir / folder, root / folder)
    window, ctl = ready_window(qtbot, make_window, checkpoint, [root], tmp_path / "projects")
    request = run_all(qtbot, ctl)
    qtbot.waitUntil(lambda: request not in ctl._runs, timeout=WAIT_MS * 3)
    ctl.update_metrics()
    paths = list(window.session.paths)
    expected = []
    for path in paths:
        s = image_scores(ctl.cache.get(ctl._key(path)), read_label(find_label(path)), ctl.settings.threshold)
        expected.append(("1", *(_fmt(v) for v in (s.f_beta, s.iou, s.precision, s.recall)), _fmt(s.m, percent=False)))
    assert len(set(expected)) == len(paths)  # each image's row tells it apart

    monkeypatch.setattr(ctl._metrics_timer, "start", lambda *_args: None)  # the box's refresh never comes
    for i in [*range(1, len(paths)), 0]:
        window.session.set_current(i)
        key = ctl._key(paths[i])
        qtbot.waitUntil(lambda key=key: ctl.prediction is not None and ctl.prediction is ctl.cache.get(key),
                        timeout=WAIT_MS)
        assert _row(ctl) == expected[i], (paths[i].name, _row(ctl))
