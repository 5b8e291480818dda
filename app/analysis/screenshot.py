"""``--screenshot --run-model``: run the model on the current image before the window is grabbed."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QTimer

if TYPE_CHECKING:
    from app.main_window import MainWindow


def _wait(signal: object, timeout_s: float) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()
    signal.disconnect(loop.quit)  # type: ignore[attr-defined]


def run_model_for_screenshot(window: MainWindow, checkpoint: Path | None, layers: Sequence[str],
                             compare: Path | None, timeout_s: float, regions: str = "plain") -> list[str]:
    """Load `checkpoint` (or the default model), run it on the current image with region rule
    `regions`, show `layers` (names; empty = defaults), write the compare grid to `compare` if
    given. Returns problems (empty = ok)."""
    ctl = window.analysis
    ctl.settings.set_keep(regions)
    if checkpoint is not None:
        ctl.settings.set_checkpoint(checkpoint)
    if ctl.model is None or checkpoint is not None:
        if ctl.settings.checkpoint is None:
            return ["no model: pass --checkpoint"]
        _wait(ctl.worker.done, timeout_s)
    if ctl.model is None:
        return ctl.errors or ["the model did not load"]
    if ctl.run_current() is not None:
        _wait(ctl.worker.done, timeout_s)
    if ctl.prediction is None:
        return ctl.errors or ["the model produced no result"]
    unknown = [name for name in layers if name not in ctl.layers.names]
    if layers:
        for name in ctl.layers.names:
            ctl.layers.set_visible(name, name in layers)
    if compare is not None and not ctl.export_grid(compare):
        return [f"could not write {compare}"]
    ctl.layer_list.select(layers[0] if layers and not unknown else "probability")
    ctl.update_metrics()  # now, not after the debounce: the grab comes before the timer fires
    return [f"unknown layer {name!r} (known: {', '.join(ctl.layers.names)})" for name in unknown]
