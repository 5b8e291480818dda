"""The display-pyramid thread never calls into a LayerItem nor frees one (app/layer_item.py,
app/display_pyramid.py). It was handed the item's bound ``_announce_level``: its future held the item,
so a layer given a new image (its pyramid dropped) and let go while a level was rendered was freed on
that thread when the level was done, its QTimer with it ('Timers cannot be stopped from another
thread', then a segmentation fault: a GUI test run crashed so at teardown). It is now handed the
item's relay's ``emit`` (app.relay): a queued signal, dropped by Qt once the item is gone."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from app.layer_item import LayerItem

CHILD = Path(__file__).with_name("pyramid_teardown_child.py")
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("mode", ["plain", "collect"])
def test_a_dropped_layer_is_freed_on_the_gui_thread(mode: str) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    child = subprocess.run([sys.executable, "-X", "faulthandler", str(CHILD), mode], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=120, check=False)
    out = child.stdout
    assert child.returncode == 0, out + child.stderr[-3000:]
    assert "Timers cannot be stopped from another thread" not in child.stderr
    assert "freed on MainThread" in out and "freed on display-pyramid" not in out, out
    assert out.splitlines()[-2:] == ["entered: ", "ok"], out  # no LayerItem method ran on the pyramid's thread


def test_a_live_layer_hears_of_its_level_on_the_gui_thread(qtbot, monkeypatch) -> None:  # noqa: ANN001
    heard: list[tuple[int, object, str]] = []
    original = LayerItem._on_level_ready

    def spy(self: LayerItem, generation: int, factors: object) -> None:
        heard.append((generation, factors, threading.current_thread().name))
        original(self, generation, factors)

    monkeypatch.setattr(LayerItem, "_on_level_ready", spy)
    item = LayerItem()
    item.setAutoDownsample(True)
    item.setImage(np.zeros((1500, 1500), np.float32), levels=(0, 1))
    item._render_deferred((2, 2))
    assert item.standing_in
    qtbot.waitUntil(lambda: bool(heard), timeout=10000)
    assert heard == [(item.pyramid.generation, (2, 2), threading.main_thread().name)]
    assert item.pyramid.ready((2, 2)) is not None
