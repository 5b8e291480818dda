"""The analysis layers' state kept between sessions, in the window's settings (as the Model panel's choices
are, :mod:`app.analysis.panel_kept`): which layers are shown, their opacity and their colours.

Kept as one JSON object under :data:`LAYERS_KEY`, ``{layer name: {"visible": bool, "opacity": float,
"colormap": str}}``, holding only what the user changed (a layer's default, changed in a later version, still
applies to what was never touched). A layer this version does not know is ignored, and kept in the file (a
later version's layer, its choice back when that version runs again); a value no longer valid (a colormap
no longer offered, not a number) is ignored; a file that is no JSON object is read as empty. A screenshot
(``--screenshot ... --layers``) builds its window on throw-away settings: it never writes here.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QSettings

from fosp_core.analysis.layers import LayerStack

LAYERS_KEY = "analysis/layers"


class LayersKept:
    """Restores `stack` from `store` (:meth:`restore`) and keeps every later change there."""

    def __init__(self, stack: LayerStack, store: QSettings) -> None:
        self.stack, self.store = stack, store

    def restore(self) -> None:
        """Set the kept state of every layer this version knows (before the widgets bind to the stack)
        and keep later changes."""
        for name, state in self._read().items():
            if name not in self.stack.names or not isinstance(state, dict):
                continue
            visible, opacity, colormap = state.get("visible"), state.get("opacity"), state.get("colormap")
            if isinstance(visible, bool):
                self.stack.set_visible(name, visible)
            if isinstance(opacity, int | float) and not isinstance(opacity, bool):
                self.stack.set_opacity(name, float(opacity))  # clamped to 0..1
            if isinstance(colormap, str) and colormap in self.stack[name].colormap_choices():
                self.stack.set_colormap(name, colormap)
        self.stack.events.changed.connect(self._store)

    def _read(self) -> dict[str, Any]:
        try:
            kept = json.loads(str(self.store.value(LAYERS_KEY, "{}") or "{}"))
        except ValueError:
            return {}  # a hand-edited file: the defaults
        return kept if isinstance(kept, dict) else {}

    def _store(self, name: str, what: str) -> None:
        kept = self._read()
        state = kept.get(name) if isinstance(kept.get(name), dict) else {}
        layer = self.stack[name]
        state[what] = {"visible": layer.visible, "opacity": round(layer.opacity, 3),
                       "colormap": layer.colormap}.get(what)
        kept[name] = state
        self.store.setValue(LAYERS_KEY, json.dumps(kept))  # ASCII (τ escaped): any settings file holds it
