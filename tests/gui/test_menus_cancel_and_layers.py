"""The main window's menus, as a visual sweep found them (session 31): Analysis ▸ Cancel Inference (Ctrl+.)
was on with nothing running, and the Analysis menu had two entries called "Layers" (the submenu of the
layers to show, the Layers dock's toggle). Cancel Inference is on only while an image run, a Run on all
(planning or running) can be cancelled; off, its keys say there is nothing to cancel, as they do in video
mode with no whole-video run (they cancel one that goes). Real demo photos, the tiny model, a generated
clip; no sleeping but the clip model's own (events and waitUntil)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication, QMenu

from app.analysis.chrome import NOTHING_TO_CANCEL
from app.video.chrome import NOTHING_TO_CANCEL as NOTHING_TO_CANCEL_IN_VIDEO
from fosp_core.video.testclip import write_clip
from tests.gui.annotation_helpers import key
from tests.gui.held_plan import held_plan, run_all_window
from tests.gui.tiny_model import WAIT_MS, hold_first_image, save_tiny_checkpoint
from tests.gui.video_helpers import open_video


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny.safetensors")


def _words(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").replace("…", "").strip()


def _same_words(menu: QMenu, where: str) -> list[str]:
    """'where ▸ words' of each entry of `menu` (its submenus too) whose words another entry of the same
    menu has."""
    seen: dict[str, int] = {}
    twice: list[str] = []
    for action in menu.actions():
        if action.isSeparator():
            continue
        words = _words(action.text())
        seen[words] = seen.get(words, 0) + 1
        if seen[words] == 2:
            twice.append(f"{where} ▸ {words}")
        sub = action.menu()
        if isinstance(sub, QMenu):
            twice += _same_words(sub, f"{where} ▸ {words}")
    return twice


def test_no_menu_has_two_entries_of_the_same_name(make_window) -> None:  # noqa: ANN001 - fixture
    """Analysis ▸ Layers was both the submenu of the layers shown and the Layers dock's toggle."""
    window = make_window()
    twice = [entry for top in window.menuBar().actions() if isinstance(top.menu(), QMenu)
             for entry in _same_words(top.menu(), _words(top.text()))]
    assert twice == []
    analysis = window.analysis
    texts = [_words(a.text()) for a in analysis.menu.actions() if not a.isSeparator()]
    assert "Layers" in texts  # the dock's toggle, named as the dock, as Model, Worklist, Images are
    layer_menu = next(a.menu() for a in analysis.menu.actions() if isinstance(a.menu(), QMenu))
    assert set(layer_menu.actions()) == set(analysis.layer_actions.values())
    assert _words(layer_menu.title()) == "Show Layers"


def test_cancel_inference_is_on_only_while_an_image_run_can_be_cancelled(
        qtbot, make_window, tiny, demo_dir, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    empty = make_window(show=True)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is empty)
    assert not empty.analysis.action_cancel.isEnabled()  # nothing open
    key(empty, "Ctrl+.", settle=False)
    assert empty.statusBar().currentMessage() == NOTHING_TO_CANCEL
    empty.close()
    window, ctl = run_all_window(qtbot, make_window, tiny, demo_dir, tmp_path)
    cancel = ctl.action_cancel
    assert not cancel.isEnabled()  # the first image ran; nothing runs now
    gate, _asked, _told = held_plan(qtbot, ctl, monkeypatch)  # Run on all, its plan under way
    assert cancel.isEnabled()
    cancel.trigger()  # Ctrl+.
    assert not ctl.planning.pending and not cancel.isEnabled()
    gate.let_go(qtbot)
    assert not cancel.isEnabled()

    started, release = hold_first_image(ctl, monkeypatch)  # an image run, held on the inference thread
    ctl.cache.clear()
    request = ctl.run_current()
    assert request is not None and cancel.isEnabled()
    qtbot.waitUntil(started.is_set, timeout=WAIT_MS)
    assert cancel.isEnabled()
    release.set()
    qtbot.waitUntil(lambda: not ctl.running(request), timeout=WAIT_MS)
    assert not cancel.isEnabled()


def _slow_model(rgb: np.ndarray) -> np.ndarray:
    """Grey is smoke, 30 ms a frame (a 48-frame run is still going when the key comes)."""
    time.sleep(0.03)
    spread = rgb.max(axis=2).astype(np.float32) - rgb.min(axis=2)
    return np.clip(1.0 - spread / 60.0, 0.0, 1.0)


def test_in_video_mode_the_cancel_keys_say_there_is_nothing_to_cancel_until_a_run_goes(
        qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=48, fps=24.0), tmp_path)
    video = window.video
    video.set_model(_slow_model, "slow")
    assert not window.analysis.action_cancel.isVisible()  # the image's: put away behind the video
    key(window, "Ctrl+.", settle=False)  # nothing runs: it did nothing, silently
    assert window.statusBar().currentMessage() == NOTHING_TO_CANCEL_IN_VIDEO
    key(window, "Ctrl+Shift+R", settle=False)
    qtbot.waitUntil(lambda: video.panel.progress.value() >= 2, timeout=10_000)
    key(window, "Ctrl+.", settle=False)
    qtbot.waitUntil(lambda: video.panel.predict_all_button.isEnabled(), timeout=5_000)
    assert video.panel.progress.value() < video.frame_count  # cancelled by the keys
    assert window.statusBar().currentMessage().startswith("Prediction cancelled: ")
    video.leave()  # images again: the image's Cancel Inference back, off
    assert window.analysis.action_cancel.isVisible() and not window.analysis.action_cancel.isEnabled()


def test_show_layers_is_put_away_with_its_layer_keys_in_video_mode(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    """A video open hides the image's layer keys (app.video.chrome.ModeSwitch): Analysis ▸ Show Layers
    then opened an empty submenu."""
    window = make_window(show=True)
    analysis = window.analysis
    show_layers = next(a for a in analysis.menu.actions() if isinstance(a.menu(), QMenu))
    assert show_layers.isVisible()
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=12, fps=24.0), tmp_path)
    assert not any(a.isVisible() for a in analysis.layer_actions.values())
    assert not show_layers.isVisible()
    window.video.leave()
    assert show_layers.isVisible() and all(a.isVisible() for a in analysis.layer_actions.values())
