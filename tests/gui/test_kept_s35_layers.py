"""Which analysis layers are shown (prediction mask, ground truth, focus map, ...) and their opacity and
colours were set again at each start: napari and CVAT users expect the view they set up to come back. The
layers' state is kept in the window's settings and restored as the window is built; a layer name this
version does not know is ignored (and kept in the file for the version that knows it), a value that is no
longer valid too. A ``--screenshot --layers`` run never writes the user's settings (throw-away ones)."""

from __future__ import annotations

import json
import shutil

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from app.analysis.layers_kept import LAYERS_KEY
from tests.gui.tiny_model import save_tiny_checkpoint


def _shown(window) -> dict[str, bool]:  # noqa: ANN001
    return {layer.name: layer.visible for layer in window.analysis.layers}


def test_shown_layers_opacity_and_colours_come_back_in_the_next_session(qtbot, make_window) -> None:  # noqa: ANN001
    first = make_window()
    layers = first.analysis.layers
    layers.set_visible("prediction mask", True)
    layers.set_visible("probability", False)
    first.analysis.layer_actions["ground truth"].trigger()  # Analysis ▸ Layers (its shortcut: Alt+L)
    layers.set_opacity("focus map", 0.3)
    layers.set_colormap("probability", "viridis")
    shown = _shown(first)
    assert shown["ground truth"] and shown["prediction mask"] and not shown["probability"]
    assert first.close()

    again = make_window()
    layers = again.analysis.layers
    assert _shown(again) == shown
    assert layers["focus map"].opacity == pytest.approx(0.3) and layers["probability"].colormap == "viridis"
    assert again.analysis.layer_actions["prediction mask"].isChecked()  # the menu follows
    assert not again.analysis.layer_actions["probability"].isChecked()
    item = again.analysis.layer_list._items["ground truth"]
    assert item.checkState() == Qt.CheckState.Checked  # and the Layers dock


def test_unknown_layers_and_values_no_longer_valid_are_ignored(qtbot, make_window, settings_path) -> None:  # noqa: ANN001
    store = QSettings(str(settings_path), QSettings.Format.IniFormat)
    store.setValue(LAYERS_KEY, json.dumps({
        "depth map": {"visible": True},  # a later version's layer
        "hole": {"visible": "yes", "opacity": "dense"},
        "focus map": {"visible": True, "colormap": "rainbow", "opacity": 2.5},
        "error map": [1, 2],
    }))
    store.sync()
    window = make_window()
    layers = window.analysis.layers
    assert "depth map" not in layers.names
    assert not layers["hole"].visible and layers["hole"].opacity == pytest.approx(0.35)  # the defaults
    assert layers["focus map"].visible and layers["focus map"].opacity == 1.0  # clamped as the dock does
    assert layers["focus map"].colormap == "viridis"
    layers.set_visible("hole", True)
    assert window.close()
    kept = json.loads(QSettings(str(settings_path), QSettings.Format.IniFormat).value(LAYERS_KEY))
    assert kept["depth map"] == {"visible": True}, "a later version's layer was dropped from the file"
    assert kept["hole"]["visible"] is True

    store.setValue(LAYERS_KEY, "{not json")
    store.sync()
    assert make_window().analysis.layers["probability"].visible  # the defaults, no crash


def test_a_screenshot_with_layers_leaves_the_users_kept_layers_alone(qtbot, tmp_path, demo_dir,  # noqa: ANN001
                                                                     monkeypatch) -> None:
    from app.main import take_screenshot
    from app.main_args import parse_args

    config = tmp_path / "config"
    monkeypatch.setenv("FOSP_CONFIG", str(config))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    user = QSettings(str(config / "fosp-studio.ini"), QSettings.Format.IniFormat)
    user.setValue(LAYERS_KEY, json.dumps({"probability": {"visible": False}, "error map": {"visible": True}}))
    user.sync()
    before = (config / "fosp-studio.ini").read_bytes()
    images = tmp_path / "images"
    images.mkdir()
    shutil.copy(sorted((demo_dir / "JPEGImages").glob("*.jpg"))[0], images / "photo.jpg")
    model = save_tiny_checkpoint(tmp_path / "models" / "tiny.safetensors")
    out = tmp_path / "shot.png"
    args, _qt = parse_args(["--screenshot", str(out), "--run-model", "--checkpoint", str(model),
                            "--layers", "focus map,prediction mask", str(images / "photo.jpg")])
    assert take_screenshot(QApplication.instance(), out, [images / "photo.jpg"], (900, 640), 120.0, analysis=args) == 0
    assert out.is_file()
    assert (config / "fosp-studio.ini").read_bytes() == before
