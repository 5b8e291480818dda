"""Every window's toolbar and dock buttons asked app.icons' engine for the same few pictures, and each was
painted again by qtawesome, in Python (~16 a shown window), and every icon() made a new engine. The engine
keeps what it painted per theme and size, and icon() hands out one shared QIcon per name; a theme switch
still paints the glyph in the new theme's colours."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from app import icons
from app.theme import DARK, LIGHT, apply_theme
from tests.gui import theme_helpers
from tests.gui.theme_helpers import image_pixels

restore_theme = theme_helpers.restore_theme
_NAME = "fa6s.folder-open"


def _painted(monkeypatch) -> list[str]:  # noqa: ANN001
    """The names qtawesome is asked to paint from now on."""
    painted: list[str] = []
    themed = icons.themed_glyph

    def counted(name: str) -> QIcon:
        painted.append(name)
        return themed(name)

    monkeypatch.setattr(icons, "themed_glyph", counted)
    return painted


def test_a_glyph_is_painted_once_a_size_and_theme(qapp, monkeypatch, restore_theme) -> None:  # noqa: ANN001
    apply_theme(qapp, DARK.name)
    icons._PIXMAPS.clear()
    painted = _painted(monkeypatch)
    first = icons.icon(_NAME).pixmap(QSize(24, 24))
    second = icons.icon(_NAME).pixmap(QSize(24, 24))  # another window's button
    assert painted == [_NAME], f"qtawesome painted {len(painted)} times for one picture"
    assert np.array_equal(image_pixels(first.toImage(), alpha=True), image_pixels(second.toImage(), alpha=True))
    icons.icon(_NAME).pixmap(QSize(48, 48))  # another size is painted at that size
    assert painted == [_NAME, _NAME]

    dark = image_pixels(first.toImage(), alpha=True)
    apply_theme(qapp, LIGHT.name)
    light = image_pixels(icons.icon(_NAME).pixmap(QSize(24, 24)).toImage(), alpha=True)
    assert len(painted) == 3, "the light theme's picture is painted in its own colours"
    shown = light[..., 3] > 128
    assert shown.any() and not np.array_equal(light[shown][:, :3], dark[shown][:, :3])


def test_icon_hands_out_one_shared_icon_a_name_and_a_changed_copy_stays_its_own(qapp) -> None:  # noqa: ANN001
    one, two = icons.icon(_NAME), icons.icon(_NAME)
    assert one.cacheKey() == two.cacheKey(), "two calls made two icons"
    one.addPixmap(two.pixmap(QSize(16, 16)))  # a copy changed: detached from the shared one
    assert one.cacheKey() != icons.icon(_NAME).cacheKey()
    assert not icons.icon(_NAME).isNull()
