"""An analyst's day, exports: the only figure the analysis view exported was the compare grid, which
shows fixed maps (not the layers turned on, nor their colours or opacity); what the canvas shows
could be kept only as a screenshot of the whole window at screen resolution. Analysis ▸ Export View
writes the image with the analysis layers shown, as drawn, at the image's own size."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from app.analysis.render import composite
from fosp_core.analysis.layers import SOLID_COLORS, LayerStack
from fosp_core.infer.result import Prediction


def test_composite_blends_the_layers_shown_as_the_canvas_draws_them() -> None:
    rgb = np.full((8, 9, 3), 100, np.uint8)
    stack = LayerStack()
    mask = np.zeros((8, 9), bool)
    mask[1:6, 2:7] = True  # (3, 4) inside, off the outline its edge pixels get
    arrays = {"prediction mask": mask, "probability": np.zeros((8, 9), np.float32)}
    for layer in stack:
        stack.set_visible(layer.name, layer.name == "prediction mask")
    stack.set_opacity("prediction mask", 0.5)
    out = composite(rgb, stack, arrays)
    assert out.shape == rgb.shape and out.dtype == np.uint8
    red, alpha = np.array(SOLID_COLORS[stack["prediction mask"].colormap]), 0.5 * stack["prediction mask"].fill
    assert np.allclose(out[3, 4], alpha * red + (1 - alpha) * 100, atol=1)
    assert (out[0, 0] == 100).all()  # nothing drawn where the mask is 0
    stack.set_visible("prediction mask", False)
    assert (composite(rgb, stack, arrays) == rgb).all()  # hidden: not exported
    stack.set_visible("probability", True)  # shown, but 0 everywhere: transparent, as on the canvas
    assert (composite(rgb, stack, arrays) == rgb).all()


def test_export_view_writes_what_the_canvas_shows(qtbot, make_window, tmp_path: Path) -> None:
    h, w = 21, 33
    path = tmp_path / "odd.png"
    Image.fromarray(np.full((h, w, 3), 90, np.uint8)).save(path)
    window = make_window()
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.open_paths([path], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=10000)
    ctl = window.analysis
    out = tmp_path / "figures" / "view.png"
    assert not ctl.view_export.write(out)  # no result: nothing to export
    probability = np.zeros((h, w), np.float32)
    probability[5:9, 10:20] = 0.9
    ctl._show(Prediction(probability=probability))
    ctl.layers.set_visible("prediction mask", True)
    assert ctl.action_export_view.isEnabled()
    assert ctl.view_export.write(out)
    png = cv2.cvtColor(cv2.imread(str(out)), cv2.COLOR_BGR2RGB)
    assert png.shape == (h, w, 3)
    assert (png == composite(window.session.current_image.rgb, ctl.layers, ctl.arrays)).all()
    assert png[6, 12, 0] > png[0, 0, 0] + 40  # the mask's red is there


def test_export_dialogs_offer_a_name_after_the_image(qtbot, make_window, tmp_path: Path, monkeypatch) -> None:
    """Export Compare Grid offered "compare-grid.png" for every image: a second export overwrote the
    first unless renamed by hand (and neither file said which image it showed)."""
    from PySide6.QtWidgets import QFileDialog

    path = tmp_path / "plume_0042.png"
    Image.fromarray(np.full((12, 16, 3), 90, np.uint8)).save(path)
    window = make_window()
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.open_paths([path], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=10000)
    ctl = window.analysis
    ctl._show(Prediction(probability=np.zeros((12, 16), np.float32)))
    offered: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (offered.append(args[2]), ("", ""))[1])
    ctl.export_grid_dialog()
    ctl.view_export.dialog()
    assert [Path(name).name for name in offered] == ["plume_0042-compare-grid.png", "plume_0042-view.png"]
