"""A disabled control looks disabled: its edge is drawn in :data:`app.control_style.DISABLED_OUTLINE`,
dimmer than an enabled control's (WCAG 1.4.11 exempts inactive controls from 3:1, as 1.4.3 exempts
their text), yet still there. It kept the enabled controls' light outline (3.5:1 on the window,
measured the same whether enabled or not). Measured from rendered pixels (tests/gui/rendered_edges.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from app.control_style import ContrastStyle
from tests.gui.rendered_edges import CONTROLS, _form, _measure

#: What a disabled edge keeps at least on the window: a control is still seen where it is.
VISIBLE = 1.5


def _edges(qtbot, enabled: bool) -> dict[str, float]:  # noqa: ANN001 - pytest-qt's qtbot
    form, controls = _form(qtbot, ContrastStyle())
    for control in controls.values():
        control.setEnabled(enabled)
    QApplication.processEvents()
    return {name: round(_measure(form, control)[0], 2) for name, control in controls.items()}


def test_disabled_edges_are_dimmer_than_enabled_ones_and_still_seen(qtbot) -> None:  # noqa: ANN001
    enabled, disabled = _edges(qtbot, True), _edges(qtbot, False)
    assert set(disabled) == set(CONTROLS)
    same = {name: (enabled[name], ratio) for name, ratio in disabled.items() if ratio > 0.8 * enabled[name]}
    assert not same, f"disabled edges as strong as enabled ones (enabled, disabled): {same}"
    assert min(disabled.values()) >= VISIBLE, disabled
    assert max(disabled.values()) < 3.0, disabled  # below the enabled minimum: told apart by their edge


def test_a_control_enabled_again_gets_its_light_edge_back(qtbot) -> None:  # noqa: ANN001
    """The palette lent to Fusion is kept per palette and colour group: one built for a disabled
    control is not reused for the same palette enabled."""
    form, controls = _form(qtbot, ContrastStyle())
    field = controls["text field"]
    enabled = _measure(form, field)[0]
    field.setEnabled(False)
    QApplication.processEvents()
    disabled = _measure(form, field)[0]
    field.setEnabled(True)
    QApplication.processEvents()
    assert disabled < 0.8 * enabled and _measure(form, field)[0] == enabled
