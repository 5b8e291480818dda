"""Text in each theme (dark, light) meets WCAG 2.x AA contrast, computed from the palette (app/theme.py): 4.5:1
for normal text (window, fields, buttons, tooltips, selected rows, placeholders, links, errors), 3:1 for
UI parts told apart by colour alone (a selected row against the rows around it). Disabled text is
exempt (WCAG 1.4.3 leaves out inactive controls): its ratio is pinned so that it stays visibly dimmer
but readable. Text colours written into style sheets under app/ meet 4.5:1 on either theme's window
colour (or the background they are drawn on).

Control edges (text fields, spin boxes, combo boxes, check boxes, radio buttons, buttons) and the
keyboard focus ring meet 3:1 on the window (WCAG 1.4.11), measured from rendered pixels
(tests/gui/rendered_edges.py); the same measure fails on plain Fusion (1.21:1 edges, a 2.1:1 focus edge)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QStyleFactory

from app.control_style import FOCUS_WIDTH
from app.theme import DARK, LIGHT, Theme, dark_palette, theme_palette, theme_style
from tests.gui.rendered_edges import CONTROLS, FOCUSABLE, contrast, rendered_edges, rendered_focus

AA_TEXT = 4.5
AA_UI = 3.0
APP = Path(__file__).resolve().parents[2] / "app"
Role, Group = QPalette.ColorRole, QPalette.ColorGroup


def test_contrast_of_known_pairs() -> None:
    assert contrast(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert contrast(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)


TEXT_PAIRS = [(Role.WindowText, Role.Window), (Role.Text, Role.Base), (Role.Text, Role.AlternateBase),
              (Role.ButtonText, Role.Button), (Role.ToolTipText, Role.ToolTipBase),
              (Role.HighlightedText, Role.Highlight), (Role.PlaceholderText, Role.Base),
              (Role.Link, Role.Window), (Role.Link, Role.Base)]


THEMES = pytest.mark.parametrize("theme", [DARK, LIGHT], ids=lambda t: t.name)
#: text drawn in a role that is no palette's text: the hints (PlaceholderText), errors (BrightText),
#: warnings (LinkVisited), on the window and in fields
OWN_TEXT_PAIRS = [(Role.PlaceholderText, Role.Window), (Role.BrightText, Role.Window), (Role.BrightText, Role.Base),
                  (Role.LinkVisited, Role.Window), (Role.LinkVisited, Role.Base)]


@THEMES
@pytest.mark.parametrize(("fg", "bg"), TEXT_PAIRS + OWN_TEXT_PAIRS, ids=lambda r: r.name)
@pytest.mark.parametrize("group", [Group.Active, Group.Inactive])
def test_text_meets_aa(theme: Theme, fg: QPalette.ColorRole, bg: QPalette.ColorRole,
                       group: QPalette.ColorGroup) -> None:
    palette = theme_palette(theme)
    assert contrast(palette.color(group, fg), palette.color(group, bg)) >= AA_TEXT


@THEMES
@pytest.mark.parametrize("around", [Role.Base, Role.AlternateBase, Role.Window], ids=lambda r: r.name)
def test_a_selected_row_stands_out_from_the_rows_around_it(theme: Theme, around: QPalette.ColorRole) -> None:
    palette = theme_palette(theme)  # WCAG 1.4.11: the selection is told by its background alone
    assert contrast(palette.color(Role.Highlight), palette.color(around)) >= AA_UI


@THEMES
def test_error_and_warning_text_meet_aa(theme: Theme) -> None:
    palette = theme_palette(theme)
    for bg in (Role.Window, Role.Base):
        assert contrast(theme.error, palette.color(bg)) >= AA_TEXT
        assert contrast(theme.warning, palette.color(bg)) >= AA_TEXT


@THEMES
@pytest.mark.parametrize("role", [Role.WindowText, Role.Text, Role.ButtonText], ids=lambda r: r.name)
def test_disabled_text_is_exempt_but_dimmer_and_visible(theme: Theme, role: QPalette.ColorRole) -> None:
    palette = theme_palette(theme)
    disabled = contrast(palette.color(Group.Disabled, role), palette.color(Role.Window))
    assert 3.0 <= disabled < contrast(palette.color(role), palette.color(Role.Window))


#: Style-sheet text colours drawn on another background than the window's: (file, colour) -> background.
ON_OTHER_BACKGROUND = {("canvas.py", "#8a8a8a"): "#000000",  # the empty canvas's hint, on pyqtgraph's black
                       ("video/timeline_widget.py", "#bbbbbb"): "#000000",  # the plot's key, on its black
                       ("training/compare_previews.py", "#9a9a9a"): "#202020",  # a preview's note, its frame
                       # a compare grid panel's "no Focus Map" words, on the plain panel (the grid's #202020 elsewhere)
                       ("analysis/grid_maps.py", "#aaaaaa"): "#3a3a3a"}

_STYLE_COLOR = re.compile(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})")


def style_sheet_text_colors() -> list[tuple[str, str]]:
    """(file under app/, colour) of each `color: #rrggbb` in the app's source (not background-color)."""
    found = []
    for path in sorted(APP.rglob("*.py")):
        for color in _STYLE_COLOR.findall(path.read_text(encoding="utf-8")):
            found.append((str(path.relative_to(APP)), color.lower()))
    return found


@THEMES
def test_style_sheet_text_colours_meet_aa(theme: Theme) -> None:
    found = style_sheet_text_colors()
    assert len(found) >= 2  # the scan sees the app's style sheets (the others name palette colours)
    window = theme.window.name()
    low = [f"{where} {color}: {contrast(QColor(color), QColor(ON_OTHER_BACKGROUND.get((where, color), window))):.2f}"
           for where, color in found
           if contrast(QColor(color), QColor(ON_OTHER_BACKGROUND.get((where, color), window))) < AA_TEXT]
    assert not low, "below 4.5:1:\n" + "\n".join(low)


def test_fusions_own_outline_colour_is_below_the_minimum() -> None:
    """Why the palette alone cannot do it: Fusion's Window.darker(140) is 1.21:1 on the window (the edges
    measured from rendered pixels below are the app's own, :mod:`app.control_style`)."""
    window = dark_palette().color(Role.Window)
    assert contrast(window.darker(140), window) < 1.3


@THEMES
def test_control_outlines_meet_the_non_text_minimum(qtbot, theme: Theme) -> None:
    """WCAG 1.4.11: the edge of each text field, spin box, combo box, check box, radio button and button,
    sampled from the rendered widget, stands 3:1 from the window pixels beside it."""
    edges = rendered_edges(qtbot, theme_style(theme), theme_palette(theme))
    low = {name: ratio for name, ratio in edges.items() if ratio < AA_UI}
    assert not low, f"control edges below 3:1 on the window: {low}"


def test_the_outline_measure_fails_on_plain_fusion(qtbot) -> None:
    """The same measure on the old look (Fusion, the dark palette): every control's edge is under 3:1."""
    edges = rendered_edges(qtbot, QStyleFactory.create("Fusion"))
    assert set(edges) == set(CONTROLS) and max(edges.values()) < AA_UI, edges


@THEMES
@pytest.mark.parametrize("name", FOCUSABLE)
def test_the_keyboard_focus_ring_meets_the_non_text_minimum(qtbot, name: str, theme: Theme) -> None:
    """Tab onto a control: the focus indicator, sampled from the rendered widget, is 3:1 on the window
    beside it and 2 px wide on fields and buttons (FOCUS_WIDTH)."""
    ratio, width = rendered_focus(qtbot, theme_style(theme), name, theme_palette(theme))
    assert ratio >= AA_UI
    assert width >= (1 if name == "check box" else FOCUS_WIDTH)


@pytest.mark.parametrize("name", FOCUSABLE)
def test_the_focus_measure_fails_on_plain_fusion(qtbot, name: str) -> None:
    """Fusion's focus (a dim orange edge, a faint rectangle round a check box's label) is under 3:1."""
    ratio, _ = rendered_focus(qtbot, QStyleFactory.create("Fusion"), name)
    assert ratio < AA_UI
