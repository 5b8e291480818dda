"""Which model predicts the frames of the video view, loaded off the GUI thread.

By default the video view predicts with the model the analysis panel has loaded (or the default
model, `Services.default_model`, when none is loaded); "Model…" in the video panel picks
another checkpoint, which then stays in use until the user picks again. The analysis panel's Input
choice (512 px, 448 px, tiles...) comes with its model. A loaded model is kept as a plain probability
function (`fosp_core.infer.predictor.probability_fn`), reused for every video and loaded again only
when other weights, another device, precision or input are asked for: a copy of the loaded checkpoint (the
same weights in another file, or exported again under another name: `fosp_core.annotation.prelabel_weights.
weights_digest`, read on the load's thread) keeps the function loaded, as the analysis view's model id names
the weights (`app.analysis.model_ids`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.video.workers import ProbabilityFn

__all__ = ["ModelSpec", "VideoModelSource", "default_model_spec"]

ModelSpec = tuple[Path, str, str, str]
"""(checkpoint, device, precision, input) of a model to load, e.g. ``(path, "auto", "fp32", "default")``;
input is one of :data:`fosp_core.analysis.settings.INPUT_CHOICES`."""


def default_model_spec(analysis_model: ModelSpec | None, default_model: Path | None) -> ModelSpec | None:
    """The model the video view uses unless the user chose one: the analysis panel's loaded model
    (`analysis_model`), else the app's default model (`Services.default_model`) on the best device,
    else None."""
    if analysis_model is not None:
        return analysis_model
    return (default_model, "auto", "fp32", "default") if default_model is not None else None


class VideoModelSource(QObject):
    """The frames' model (see module doc). `default` says which model to use when the user chose none
    (None: no model). Signals: ready(fn, name) when a model predicts from now on; failed(message);
    settled() after every load, whatever its outcome."""

    ready = Signal(object, str)
    failed = Signal(str)
    settled = Signal()
    _loaded = Signal(object, str, object, str)  # fn or None, name or error, spec, weights' digest

    def __init__(self, default: Callable[[], ModelSpec | None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._default = default
        self.fn: ProbabilityFn | None = None
        self.name = ""
        self.spec: ModelSpec | None = None
        self.weights = ""  # the digest of the loaded model's weights ("": not known)
        #: The user chose the model with "Model…" (the analysis panel's model no longer applies).
        self.chosen = False
        self._pending: ModelSpec | None = None
        self._threads: list[threading.Thread] = []
        self._loaded.connect(self._on_loaded)

    def use_default(self) -> bool:
        """Predict with the default model unless the user chose one; returns whether one is (being) loaded."""
        if self.chosen:
            return self.fn is not None or self._pending is not None
        spec = self._default()
        if spec is None:
            return False
        self.load(spec)
        return True

    def choose(self, path: Path, device: str = "auto", precision: str = "fp32", input: str = "default") -> None:
        """The user picked a checkpoint: load it and keep it."""
        self.chosen = True
        self.load((Path(path), device, precision, input))

    def load(self, spec: ModelSpec) -> None:
        """Load `spec` on a thread (answered at once when it is the model already loaded)."""
        path, device, precision, input = spec
        spec = (Path(path).resolve(), device, precision, input)
        if spec == self.spec and self.fn is not None:
            self._pending = None
            self.ready.emit(self.fn, self.name)
            self.settled.emit()
            return
        if spec == self._pending:
            return
        self._pending = spec
        loaded = (self.fn, self.weights) if self.spec is not None and self.spec[1:] == spec[1:] else (None, "")

        def work() -> None:
            try:
                from fosp_core.analysis.settings import predictor_input
                from fosp_core.annotation.prelabel_weights import weights_digest
                from fosp_core.infer.predictor import probability_fn

                weights = weights_digest(spec[0])
                if loaded[0] is not None and weights and weights == loaded[1]:  # a copy of the weights loaded
                    self._loaded.emit(loaded[0], spec[0].name, spec, weights)
                    return
                fn = probability_fn(spec[0], device=device, precision=precision, **predictor_input(input))
                self._loaded.emit(fn, spec[0].name, spec, weights)
            except Exception as exc:  # noqa: BLE001 - shown to the user
                self._loaded.emit(None, f"cannot load {spec[0].name}: {exc}", spec, "")

        thread = threading.Thread(target=work, name="video-model-load", daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def shutdown(self, timeout_s: float = 30.0) -> None:
        """The window closes: let loads in flight finish (a process that exits while one builds the
        model on another thread is aborted by torch's thread pool), at most `timeout_s` in all."""
        deadline = time.monotonic() + timeout_s
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        self._threads = []
        self._pending = None

    @property
    def loading(self) -> str | None:
        """The file name of the checkpoint being loaded, or None."""
        return self._pending[0].name if self._pending is not None else None

    def _on_loaded(self, fn: ProbabilityFn | None, name: str, spec: ModelSpec, weights: str = "") -> None:
        if spec != self._pending:
            return  # another model was asked for meanwhile
        self._pending = None
        if fn is None:
            self.failed.emit(name)
        else:
            self.fn, self.name, self.spec, self.weights = fn, name, spec, weights
            self.ready.emit(fn, name)
        self.settled.emit()
