"""Analysis menu tooltips (session 35's review). The menu shows its tooltips (``setToolTipsVisible``: "Compare (Fig. 7)
and the layer toggles say what they show on hover"), but each Show Layers toggle said only its own name and key
("focus map (Alt+M)", "hole (Alt+O)"), and Export Compare Grid… and Export View… said their names: what a layer
is, and what each export writes, was nowhere in the menu. The toggles now say the Layers list's plain words (the
first line of its rows' tips), the exports what they write."""

from __future__ import annotations

from app.analysis.legend import plain_words


def test_the_analysis_menu_says_what_its_layers_and_exports_are(make_window) -> None:  # noqa: ANN001
    window = make_window()
    ctl = window.analysis
    for layer in ctl.layers:
        tip = ctl.layer_actions[layer.name].toolTip()
        assert plain_words(layer) in tip, (layer.name, tip)  # was: "focus map (Alt+M)"
        assert f"({layer.shortcut})" in tip, tip  # its key still said
    grid = ctl.action_export_grid.toolTip()
    view = ctl.action_export_view.toolTip()
    assert "five panels" in grid and "picture" in grid, grid  # was: "Export Compare Grid"
    assert "layers shown" in view and "(Ctrl+Shift+E)" in view, view  # was: "Export View (Ctrl+Shift+E)"


def test_the_compare_tip_names_every_format_its_export_writes(make_window) -> None:  # noqa: ANN001
    """Compare (Fig. 7)'s tip said Export Compare Grid… 'saves them as one PNG'; it writes JPEG too, as the
    file's name says (109b7ef2)."""
    tip = make_window().analysis.grid_dock.toggleViewAction().toolTip()
    assert "JPEG" in tip and "one PNG" not in tip, tip
