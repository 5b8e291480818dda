"""Every picture suffix the app offers writes the whole picture in colour (session 36's review, Export View).

The formats offered (``name one of .bmp, .cur, .icns, .ico, …, .pbm, …, .wbmp, .xbm``) were all of Qt's image
writers, icon and 1-bit ones too: Analysis ▸ Export View… to ``view.ico`` or ``view.cur`` wrote a 256×256 icon of a
512×512 view (a 4000×300 panorama's: 256×19), ``view.icns`` a 256×256 square of a 4000×300 one, ``view.xbm`` and
``view.wbmp`` black and white, and ``view.pbm`` was refused by the writer every time ("the PBM writer could not save
the view") though the list named it; ``--screenshot shot.ico`` was a 256 px icon of the window. The app offers
only the formats that hold the picture whole, at its size, in colour; the others are refused by name before any
work, as an unknown suffix was."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QImage

from app.analysis.grid_export import _write_view
from app.picture_format import picture_format, save_picture, unknown_suffix, writable_formats
from fosp_core.analysis.layers import LayerStack


def _picture(height: int, width: int) -> np.ndarray:
    """An RGB picture with a red, a green and a blue band (colours a 1-bit or grey format loses)."""
    rgb = np.zeros((height, width, 3), np.uint8)
    third = width // 3
    rgb[:, :third, 0] = 200
    rgb[:, third:2 * third, 1] = 200
    rgb[:, 2 * third:, 2] = 200
    return rgb


def _read(path: Path) -> np.ndarray:
    image = QImage(str(path))
    assert not image.isNull(), path
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    ptr = image.constBits()
    rows = np.frombuffer(ptr, np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, :3 * image.width()].reshape(image.height(), image.width(), 3).copy()


@pytest.mark.parametrize("kind", writable_formats())
def test_export_view_writes_the_whole_view_in_colour(qapp, tmp_path: Path, kind: str) -> None:  # noqa: ANN001
    rgb = _picture(300, 1200)  # wider than an icon's 256 px, not square
    out = tmp_path / f"view.{kind}"
    assert picture_format(out) == kind
    assert _write_view(out, rgb, LayerStack(), {}) == ""  # was: "the PBM writer could not save the view"
    back = _read(out)
    assert back.shape == rgb.shape  # was 19x256 (ico, cur), 256x256 (icns)
    # colours kept (JPEG and WebP within their loss): was black and white (xbm, wbmp)
    assert np.abs(back[150, [100, 600, 1100]].astype(int) - rgb[150, [100, 600, 1100]]).max() <= 40


@pytest.mark.parametrize("kind", writable_formats())
def test_a_screenshot_is_the_whole_window_in_colour(qapp, tmp_path: Path, kind: str) -> None:  # noqa: ANN001
    rgb = _picture(300, 1200)
    image = QImage(rgb.data, 1200, 300, 3 * 1200, QImage.Format.Format_RGB888).copy()
    out = tmp_path / f"shot.{kind}"
    assert save_picture(image, out)
    back = _read(out)
    assert back.shape == rgb.shape
    assert np.abs(back[150, [100, 600, 1100]].astype(int) - rgb[150, [100, 600, 1100]]).max() <= 40


@pytest.mark.parametrize("kind", ["ico", "cur", "icns", "xbm", "wbmp", "pbm", "pgm"])
def test_icon_and_one_bit_suffixes_are_refused_by_name(kind: str) -> None:
    out = Path(f"view.{kind}")
    assert picture_format(out) == ""  # refused before any work, as view.gif
    said = unknown_suffix(out)
    assert f"cannot write .{kind} pictures" in said
    assert ".png" in said and ".jpg" in said and f".{kind}," not in said
