"""The Annotate dock's mask opacity governs the whole mask, its edge included: at 0 % the canvas
shows the image as with the mask hidden (M). Before, the 2-pixel edge stayed opaque at every
opacity (session 24 put it there for colour vision at the default 50 %), so a user who slid the
mask to 0 % to see the image still saw every region's outline. The edge is now opaque from the
default 50 % up (the colour-vision figures hold there) and fades with the fill below it
(`app.annotation.mask_layer.edge_alpha`); an opacity change still only recolours the tiles."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.annotation import mask_layer
from app.annotation.mask_edge import EDGE_IGNORE, EDGE_SMOKE, FILL_IGNORE, FILL_SMOKE
from app.annotation.mask_layer import EDGE_OPAQUE_FROM, edge_alpha, mask_lut
from app.main_window import MainWindow
from fosp_core.analysis.layers import ANNOTATION_IGNORE, ANNOTATION_SMOKE
from fosp_core.annotation.tool_state import ToolState
from tests.gui.annotation_helpers import blank_demo_window, key
from tests.gui.canvas_helpers import assert_as_drawn_directly, pixels
from tests.gui.mask_work_counts import count_mask_work


def _rgb(window: MainWindow) -> np.ndarray:
    """The canvas as the user sees it (RGB), after the compositor settled."""
    window.canvas.viewport().repaint()
    return pixels(window.canvas)[..., ::-1]


def _near(shot: np.ndarray, rgb: tuple[int, int, int], tolerance: int = 3) -> np.ndarray:
    return (np.abs(shot.astype(int) - np.asarray(rgb)) <= tolerance).all(axis=-1)


@pytest.fixture
def labelled(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> MainWindow:  # noqa: ANN001
    """A shown window on a demo photo whose mask holds a smoke and an ignore rectangle, at the
    dock's default opacity."""
    window = blank_demo_window(qtbot, make_window, demo_dir, tmp_path)
    doc = window.annotation.controller.document
    mask = np.zeros(doc.shape, np.uint8)
    mask[80:300, 60:240] = 1
    mask[120:400, 300:460] = 255
    doc.replace_mask(mask)
    window.annotation.tool_dock.opacity.setValue(round(100 * ToolState().opacity))
    qtbot.wait(20)
    return window


def test_the_edge_is_opaque_from_the_default_opacity_up_and_fades_to_nothing_below() -> None:
    assert EDGE_OPAQUE_FROM == ToolState().opacity  # the colour-vision tests measure the default
    assert [edge_alpha(o) for o in (0.0, 0.1, 0.25, 0.5, 0.8, 1.0)] == pytest.approx([0, 0.2, 0.5, 1, 1, 1])
    for opacity, fill, edge in ((0.0, 0, 0), (0.25, 64, 128), (0.5, 128, 255), (1.0, 255, 255)):
        lut = mask_lut(opacity)
        assert lut[[FILL_SMOKE, FILL_IGNORE], 3].tolist() == [fill, fill]
        assert lut[[EDGE_SMOKE, EDGE_IGNORE], 3].tolist() == [edge, edge]  # 255 at 0 and 0.25 before
    assert lut[EDGE_SMOKE, :3].tolist() == list(ANNOTATION_SMOKE)


def test_at_zero_opacity_the_canvas_shows_the_image_as_with_the_mask_hidden(labelled: MainWindow, qtbot) -> None:  # noqa: ANN001
    window = labelled
    controller = window.annotation.controller
    default = assert_as_drawn_directly(window.canvas)[..., ::-1]
    for colour in (ANNOTATION_SMOKE, ANNOTATION_IGNORE):  # the opaque edge at the default 50 %
        assert _near(default, colour).sum() > 200
    key(window, "M")  # the whole mask hidden: the image alone
    assert not controller.layer.root.isVisible()
    hidden = _rgb(window)
    key(window, "M")
    assert controller.layer.root.isVisible()
    np.testing.assert_array_equal(_rgb(window), default)
    window.annotation.tool_dock.opacity.setValue(0)  # the user's slider
    assert controller.state.opacity == 0.0 and controller.layer.opacity == 0.0
    qtbot.wait(20)
    zero = assert_as_drawn_directly(window.canvas)[..., ::-1]
    differs = np.abs(zero.astype(int) - hidden.astype(int)).max(axis=-1) > 1
    assert differs.sum() == 0, f"{differs.sum()} pixels of the mask still drawn at 0 %"  # 2010 before
    window.annotation.tool_dock.opacity.setValue(50)  # back to the default: the edge opaque again
    qtbot.wait(20)
    np.testing.assert_array_equal(_rgb(window), default)


def test_sliding_the_opacity_to_zero_and_back_computes_no_code_and_downsamples_no_tile(
        labelled: MainWindow, qtbot, monkeypatch) -> None:  # noqa: ANN001
    window = labelled
    counts = count_mask_work(monkeypatch)
    _rgb(window)
    for value in (30, 10, 0, 20, 50):
        window.annotation.tool_dock.opacity.setValue(value)
        _rgb(window)
    assert counts == {"codes": 0, "block_max": 0}
    layer = window.annotation.controller.layer
    shown = [tile for tile in layer.root.childItems() if tile.isVisible()]
    assert shown and all(tile.colours == mask_layer.colour_table(mask_lut(0.5)) for tile in shown)
