"""``--screenshot --run-model``: run the model on the current image before the window is grabbed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QTimer, SignalInstance

if TYPE_CHECKING:
    from app.main_window import MainWindow


def _wait_for(signal: SignalInstance, done: Callable[[], bool], timeout_s: float) -> None:
    """Run the event loop until `done()` holds after `signal` fired, or `timeout_s` have passed. Not
    until the inference thread's next ``done`` signal alone: the window's own requests (the default
    model's load, the device listing) end first, and the wait came back before the load or run it was
    for."""
    if done():
        return
    loop = QEventLoop()

    def check(*_args: object) -> None:
        if done():
            loop.quit()

    signal.connect(check)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    try:
        if not done():
            loop.exec()
    finally:
        signal.disconnect(check)


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
        # loaded, or failed (the errors say why)
        _wait_for(ctl.model_state_changed, lambda: ctl.model_state != "loading", timeout_s)
    loaded = ctl.loaded_checkpoint()
    if ctl.model_state != "ready" or loaded is None or loaded[0] != ctl.settings.checkpoint:
        return ctl.errors or ["the model did not load"]
    request = ctl.run_current()
    if request is not None:
        _wait_for(ctl.worker.done, lambda: not ctl.running(request), timeout_s)
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
    # a map held at the network's grid (an image not at its size) is drawn, and a relative legend's
    # maximum made, on the upsampler's worker once shown: the grab came first ("focus map (drawing…)")
    _wait_for(ctl.overlays.upsampler.ready, lambda: not ctl.overlays.pending, timeout_s)
    _wait_for(ctl.layer_list.measured, lambda: not ctl.layer_list.measuring, timeout_s)
    ctl.update_metrics()  # now, not after the debounce: the grab comes before the timer fires
    return [f"unknown layer {name!r} (known: {', '.join(ctl.layers.names)})" for name in unknown]
