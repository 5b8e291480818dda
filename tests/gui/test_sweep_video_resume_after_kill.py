"""The frame a video rests on is recorded for its next opening once the playhead rests there, not only when
the video closes: a FoSp Studio killed (or crashed) mid-video resumes on that frame, as a folder resumes on
its image (recorded at each image shown). Found by the video annotator's sweep (session 30, task N): killed
right after an edit on frame 7 of the IJmond clip, it reopened on frame 0 (the strokes recovered from their
logs, the place lost)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.video import resume
from app.video.resume import LAST_FRAMES_KEY
from fosp_core.video.testclip import write_clip
from tests.gui.video_helpers import open_video


def _on_disk(settings_path: Path) -> dict[str, int]:
    """The last frames in the settings file as another process (the next start) reads it."""
    text = settings_path.read_text(encoding="utf-8") if settings_path.is_file() else ""
    for line in text.splitlines():
        if line.startswith(LAST_FRAMES_KEY.split("/")[1] + "="):
            value = line.split("=", 1)[1].strip()
            value = value[1:-1].replace('\\"', '"') if value.startswith('"') else value
            return {Path(p).name: int(f) for p, f in json.loads(value)}
    return {}


def test_the_frame_a_video_rests_on_is_kept_before_it_closes(qtbot, make_window, settings_path: Path,  # noqa: ANN001
                                                            tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resume, "REST_MS", 200)  # the rest before a frame is recorded (1 s): twice waited out here
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=20), tmp_path)
    video = window.video
    with qtbot.waitSignal(video.frame_shown, timeout=5000, check_params_cb=lambda i: i == 7):
        video.seek(7)
    qtbot.waitUntil(lambda: _on_disk(settings_path).get("clip.mp4") == 7, timeout=10_000)
    assert video.active  # still open: recorded while it rests, not at its close
    for index in (8, 9, 10):  # frames passed over then: recorded once it rests again
        with qtbot.waitSignal(video.frame_shown, timeout=5000, check_params_cb=lambda i, n=index: i == n):
            video.seek(index)
    qtbot.waitUntil(lambda: _on_disk(settings_path).get("clip.mp4") == 10, timeout=10_000)
