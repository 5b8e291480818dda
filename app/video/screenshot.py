"""``--screenshot`` support for videos: wait for the frame, optionally predict with a checkpoint and show
the frame's analysis layers asked for (``--layers``).

Annotations made for the picture (keyframe marks) go to a throw-away folder, never next to the video.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QTimer

if TYPE_CHECKING:
    from app.main_window import MainWindow


def _wait(signals: object, timeout_s: float, ready: object) -> bool:
    """Run the event loop until `ready()` holds after one of `signals` (one or a tuple), or `timeout_s`."""
    if ready():  # type: ignore[operator]
        return True
    loop = QEventLoop()
    for signal in signals if isinstance(signals, tuple) else (signals,):
        signal.connect(lambda *_: ready() and loop.quit())  # type: ignore[attr-defined, operator]
    if ready():  # type: ignore[operator]  # a worker's signal sent before the connection reaches no one
        return True
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()
    return bool(ready())  # type: ignore[operator]


def prepare_video_screenshot(window: MainWindow, checkpoint: Path | None, timeout_s: float,
                             frame_fraction: float = 0.75, layers: Sequence[str] = ()) -> list[str]:
    """Reopen the window's video with throw-away annotations, mark a few keyframes, go to
    `frame_fraction` of the video, predict the whole video when a checkpoint is given, and wait
    until the frame is on screen; with `layers` (names, as ``--layers``), wait for the frame's analysis
    layers too and show those alone (they were dropped: the defaults shown). Returns problems (empty = ok)."""
    video = window.video
    if video.reader is None:
        return ["no video open"]
    known = window.analysis.layers.names
    if unknown := [name for name in layers if name not in known]:  # refused before the whole video's run
        return [f"unknown layer {name!r} (known: {', '.join(known)})" for name in unknown]
    path = video.reader.meta.path
    video.scratch = tempfile.TemporaryDirectory(prefix="fosp-video-shot-")  # removed when the window closes
    video.state_root = Path(video.scratch.name)
    if not video.open(path):
        return [f"cannot reopen {path}"]
    count = video.frame_count
    for fraction in (0.0, 0.4, frame_fraction):
        video.annotations.set_keyframe(int(fraction * (count - 1)))  # type: ignore[union-attr]
    target = int(frame_fraction * (count - 1))
    video.seek(target)
    problems: list[str] = []
    if checkpoint is not None:
        video.load_model(checkpoint)
        if not _wait(video.models.settled, timeout_s, lambda: video.worker is not None and video.worker.has_model):
            return [f"could not load {checkpoint}"]
        video.predict_whole()
        if not _wait(video.worker.whole_finished, timeout_s,  # type: ignore[union-attr]
                     lambda: not video.worker.whole_running):  # type: ignore[union-attr]
            problems.append("predicting the video took too long")
        video._update_curves()
    # the frame reaches the canvas, or the canvas says it could not be decoded: either is the picture
    if not _wait((video.frame_shown, video.frame_failed), timeout_s,
                 lambda: video.shown_index == target or target in video.failed_frames):
        problems.append(f"frame {target} not shown after {timeout_s:.0f} s")
    elif video.shown_index != target:
        problems.append(f"frame {target} could not be decoded")
    elif layers:
        problems += _show_layers(window, target, layers, timeout_s)
    return problems


def _show_layers(window: MainWindow, target: int, layers: Sequence[str], timeout_s: float) -> list[str]:
    """Wait for frame `target`'s analysis layers (made once the frame settles) and show `layers` alone."""
    frame_layers = window.video.frame_layers
    if not _wait(frame_layers.shown, timeout_s, lambda: frame_layers.frame == target):
        return [f"the layers of frame {target} not made after {timeout_s:.0f} s"]
    ctl = window.analysis
    for name in ctl.layers.names:
        ctl.layers.set_visible(name, name in layers)
    ctl.layer_list.select(layers[0])
    return []
