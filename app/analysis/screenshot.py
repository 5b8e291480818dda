"""``--screenshot --run-model``: run the model on the current image before the window is grabbed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QTimer

if TYPE_CHECKING:
    from app.main_window import MainWindow


#: How often a wait looks whether what it waits for has come (ms).
POLL_MS = 20


def _wait_until(done: Callable[[], bool], timeout_s: float) -> None:
    """Run the event loop until `done()` or `timeout_s` have passed. Not until the inference thread's
    next ``done`` signal: the window's own requests (the default model's load, the device listing)
    end first, and the wait came back before the load or run it was for."""
    if done():
        return
    loop = QEventLoop()
    poll = QTimer(interval=POLL_MS)
    poll.timeout.connect(lambda: done() and loop.quit())
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    poll.start()
    loop.exec()
    poll.stop()


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
        _wait_until(lambda: ctl._load_request is None, timeout_s)  # loaded, or failed (the errors say why)
    loaded = ctl.loaded_checkpoint()
    if ctl.model is None or ctl._load_request is not None or loaded is None or loaded[0] != ctl.settings.checkpoint:
        return ctl.errors or ["the model did not load"]
    request = ctl.run_current()
    if request is not None:
        _wait_until(lambda: request not in ctl._runs, timeout_s)
    if ctl.prediction is None:
        return ctl.errors or ["the model produced no result"]
    unknown = [name for name in layers if name not in ctl.layers.names]
    if layers:
        for name in ctl.layers.names:
            ctl.layers.set_visible(name, name in layers)
    if compare is not None and not ctl.export_grid(compare):
        why = ctl.grid_export.failure  # the OS's reason, or the PNG writer's refusal (as Export Compare Grid…)
        return [f"could not write {compare}: {why}" if why else f"could not write {compare}"]
    ctl.layer_list.select(layers[0] if layers and not unknown else "probability")
    ctl.update_metrics()  # now, not after the debounce: the grab comes before the timer fires
    return [f"unknown layer {name!r} (known: {', '.join(ctl.layers.names)})" for name in unknown]
