"""What the video frame's analysis layers (:mod:`app.video.frame_layers`) use of the video view and the
analysis view (protocols, so that neither is imported), and their names and words: the result cache's name
of a frame (`frame_path`) and the Video panel's line on the layers (`layers_text`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    import numpy as np
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QLabel

    from app.analysis.inference_worker import InferenceWorker
    from app.analysis.layer_list import LayerList
    from app.analysis.overlays import LayerOverlays
    from app.analysis.readouts import HoverReadout
    from app.analysis.standby import VideoStandby
    from fosp_core.analysis.layers import LayerStack
    from fosp_core.analysis.results import ResultCache
    from fosp_core.analysis.settings import AnalysisSettings
    from fosp_core.annotation.document import AnnotationDocument

__all__ = ["VIDEO_EMPTY_TEXT", "AnalysisParts", "LayersSpec", "VideoParts", "frame_path", "layers_text"]

#: The empty note of the Layers list in video mode.
VIDEO_EMPTY_TEXT = ("The model's maps of this frame show here once playback rests on it "
                    "(the Video panel's model).")

#: (checkpoint, device, precision, input choice, network input size) of the layers' model.
LayersSpec = tuple[Path, str, str, str, int]


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
