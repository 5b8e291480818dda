"""What leaving a video says of its whole-video run ('was stopped at N of M frames') read N and M off the Video
panel's progress bar, a widget: a bar reset, or not yet updated (its signals queued), said a count the run never
had ('-1 of 24'). The count is the prediction worker's own (`PredictionWorker.whole_progress`, what its
``progress`` signal reports)."""

from __future__ import annotations

import threading
from pathlib import Path

from fosp_core.video.testclip import write_clip
from tests.gui.test_sweep_video_whole_run_stopped import FRAMES, _running
from tests.gui.video_helpers import open_video


def test_the_stopped_run_s_count_is_the_worker_s_not_the_bar_s(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=FRAMES), tmp_path)
    gate = threading.Event()
    try:
        _running(qtbot, window, gate)  # 3 frames predicted, the 4th held
        window.video.panel.progress.reset()  # the bar shows something else
        words = window.video.predictions.stopped_words()
    finally:
        gate.set()
    assert words is not None and words.startswith(f" was stopped at 3 of {FRAMES} frames"), words
