"""What the video frame's analysis layers (:mod:`app.video.frame_layers`) use of the video view and the
analysis view (protocols, so that neither is imported), and their names and words: the result cache's name
of a frame (`frame_path`), the Video panel's line on the layers (`layers_text`), what names the layers' model
(`layers_identity`: its weights, as the analysis view's model id does) and whether it is the Model panel's
(`is_panel_model`: then the panel's τ applies)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject

from app.analysis.model_ids import WEIGHTS_PREFIX

if TYPE_CHECKING:
    import numpy as np
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QLabel

    from app.analysis.inference_worker import InferenceWorker, LoadedModel
    from app.analysis.layer_list import LayerList
    from app.analysis.overlays import LayerOverlays
    from app.analysis.readouts import HoverReadout
    from app.analysis.standby import VideoStandby
    from fosp_core.analysis.layers import LayerStack
    from fosp_core.analysis.results import ResultCache
    from fosp_core.analysis.settings import AnalysisSettings
    from fosp_core.annotation.document import AnnotationDocument

__all__ = ["VIDEO_EMPTY_TEXT", "AnalysisParts", "LayersIdentity", "LayersSpec", "VideoParts", "frame_path",
           "is_panel_model", "layers_identity", "layers_text"]

#: The empty note of the Layers list in video mode.
VIDEO_EMPTY_TEXT = ("The model's maps of this frame show here once playback rests on it "
                    "(the Video panel's model).")

#: (checkpoint, device, precision, input choice, network input size) of the layers' model.
LayersSpec = tuple[Path, str, str, str, int]

#: What names the layers' model: "weights:<digest>" (else, weights not known, its file), device, precision,
#: input choice and network input size (see :func:`layers_identity`).
LayersIdentity = tuple[str, str, str, str, int]


class VideoParts(Protocol):
    """What the frame's layers use of the video view (:class:`app.video.mode.VideoMode`, not imported: it
    makes them)."""

    window: QObject
    frame_shown: SignalInstance
    playback: Any
    models: Any
    panel: Any
    reader: Any
    active: bool
    index: int
    shown_index: int
    shown_rgb: np.ndarray | None
    failed_frames: Any
    #: the shown frame's mask document and the video's annotations (:mod:`app.video.frame_truth`)
    document: AnnotationDocument | None
    annotations: Any


class AnalysisParts(Protocol):
    """What the frame's layers use of the analysis view (:class:`app.analysis.controller.AnalysisController`,
    not imported: it is the window's)."""

    cache: ResultCache
    settings: AnalysisSettings
    model: LoadedModel | None
    worker: InferenceWorker
    layers: LayerStack
    overlays: LayerOverlays
    layer_list: LayerList
    hover: HoverReadout
    hover_label: QLabel
    standby: VideoStandby


def frame_path(video: Path, index: int) -> Path:
    """The name frame `index` of `video` goes by in the result cache and the inference run."""
    return Path(f"{video}#frame{index}")


def layers_text(shown: int | None, computing: int | None, note: str = "") -> str:
    """The Video panel's line on the layers: 'Layers: frame 12', 'Layers: frame 12 · computing frame 30…',
    'Layers: computing frame 30…', or 'Layers: <note>'."""
    if computing is not None:
        return (f"Layers: frame {shown} · computing frame {computing}…" if shown is not None
                else f"Layers: computing frame {computing}…")
    if shown is not None:
        return f"Layers: frame {shown}"
    return f"Layers: {note}" if note else "Layers: once a frame rests on screen"


def layers_identity(spec: LayersSpec, weights: str) -> LayersIdentity:
    """What names the layers' model of `spec` whose weights' digest is `weights` ("": not known): a copy of the
    same weights (another file, or exported again under another name) is the same model, as the analysis
    view's model id has it (`app.analysis.model_ids`), so it is not loaded again; weights not known, its file."""
    checkpoint, device, precision, input, size = spec
    return (f"{WEIGHTS_PREFIX}{weights}" if weights else str(checkpoint), device, precision, input, size)


def is_panel_model(analysis: AnalysisParts, checkpoint: Path, weights: str) -> bool:
    """Whether the layers' model (`checkpoint`, its weights' digest `weights`, "": not known) is the Model panel's:
    the checkpoint its settings name, or the same weights as the model it has loaded (a copy of it, in
    another file): then the panel's τ is the layers' (the user may have moved it), else the checkpoint's."""
    panel = analysis.settings.checkpoint
    if panel is not None and Path(panel).resolve() == Path(checkpoint).resolve():
        return True
    loaded = getattr(analysis, "model", None)
    return bool(weights) and loaded is not None and loaded.weights == weights
