"""``fosp video export``'s last line names what it exported in words: '2 keyframe(s)', not '2 keyframes
frame(s)'. Found playing a video annotator's day (QA, task Q2)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fosp_core.cli import main
from fosp_core.video.testclip import write_clip
from fosp_core.video.timeline import VideoAnnotations

SHAPE = (120, 160)


@pytest.fixture()
def labelled(tmp_path: Path) -> tuple[Path, Path]:
    """A 24-frame clip with masks on frames 0, 10 and 20, keyframes 0 and 20."""
    clip = write_clip(tmp_path / "clip.mp4", frames=24)
    notes = VideoAnnotations(clip, 24, SHAPE, folder=tmp_path / "state")
    for frame in (0, 10, 20):
        notes.save_mask(frame, np.ones(SHAPE, np.uint8))
    notes.set_keyframe(0)
    notes.set_keyframe(20)
    return clip, tmp_path / "state"


@pytest.mark.parametrize(("frames", "said"), [
    ([], "exported 2 keyframe(s) to"),
    (["--frames", "keyframes"], "exported 2 keyframe(s) to"),
    (["--frames", "edited"], "exported 3 edited frame(s) to"),
    (["--frames", "every", "--every", "10"], "exported 3 frame(s), one in every 10, to"),
])
def test_the_last_line_says_what_was_exported(labelled: tuple[Path, Path], tmp_path: Path, frames: list[str],
                                               said: str, capsys: pytest.CaptureFixture[str]) -> None:
    clip, state = labelled
    code = main(["video", "export", str(clip), str(tmp_path / "out"), "--all-train", "--annotations", str(state),
                 *frames])
    out = capsys.readouterr().out
    assert code == 0 and said in out, out
