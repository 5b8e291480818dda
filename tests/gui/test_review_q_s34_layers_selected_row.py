"""Session 34, review Q: the README's light-theme capture (`python main.py --screenshot ... --size 1366x768
--theme light`) showed the Layers list without its selected row, *probability* (ticked, the one the Opacity
and colour map below act on): the list was scrolled to it while taller, then the dock's layout settled
(the model loaded, the note above the list rewrapped) and left it below the list's edge."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.main_window import MainWindow
from fosp_core.paths import find_model
from tests.gui.conftest import WindowFactory


def _selected_row_shown(window: MainWindow) -> bool:
    layers = window.analysis.layer_list.list
    item = layers.currentItem()
    assert item is not None
    return layers.viewport().rect().contains(layers.visualItemRect(item))


@pytest.mark.parametrize("size", [(1366, 768), (1280, 800)])
def test_review_q_s34_the_selected_layer_stays_in_view_as_the_window_opens(
        make_window: WindowFactory, qtbot, tmp_path: Path, demo_dir: Path, size: tuple[int, int],  # noqa: ANN001
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    model = find_model()
    if model is None:
        pytest.skip("no default model installed (resources/models/fosp-default.safetensors)")
    window = make_window(default_model=model)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    window.open_paths([demo_dir], remember=False, background=False)
    analysis = window.analysis
    qtbot.waitUntil(lambda: analysis.model is not None or bool(analysis.errors), timeout=60000)
    assert not analysis.errors
    qtbot.wait(100)  # the layouts' posted events
    assert window.analysis.layer_list.selected == "probability"
    assert _selected_row_shown(window), "the selected layer's row is scrolled out of the Layers list"
