"""Session 34, review Q: `fosp video export VIDEO DST`, the README's command, on a video nobody has
labelled yet (a new user's first try) said 'nothing to export: none of the 0 chosen frame(s) (--frames
edited) has a mask': it names what is missing now."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fosp_core.cli import main
from fosp_core.video.testclip import write_clip
from fosp_core.video.timeline import VideoAnnotations


def test_review_q_s34_an_unlabelled_video_says_no_frame_has_a_mask(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    clip = write_clip(tmp_path / "plume.mp4", frames=12)
    assert main(["video", "export", str(clip), str(tmp_path / "out")]) == 3
    said = capsys.readouterr().err
    assert "none of the 0" not in said, said
    assert "nothing to export: no frame of plume.mp4 has a mask yet: label frames in FoSp Studio first" in said
    assert not (tmp_path / "out").exists()


def test_review_q_s34_no_keyframe_marked_is_said_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--frames keyframes on a video with a painted frame and no keyframe: no keyframe is marked (the
    painted frame is not said to be missing)."""
    clip = write_clip(tmp_path / "plume.mp4", frames=12)
    notes = VideoAnnotations(clip, 12, (120, 160))
    mask = np.zeros((120, 160), np.uint8)
    mask[40:60, 50:90] = 1
    notes.save_mask(3, mask)
    notes.flush_state()
    notes.release_lock()
    assert main(["video", "export", str(clip), str(tmp_path / "out"), "--frames", "keyframes"]) == 3
    said = capsys.readouterr().err
    assert ("nothing to export: no keyframe of plume.mp4 is marked, so no chosen frame has a mask: mark them in "
            "FoSp Studio (K), or choose --frames edited") in said, said


def test_review_q_s34_chosen_frames_without_masks_keep_their_count(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    clip = write_clip(tmp_path / "plume.mp4", frames=12)
    assert main(["video", "export", str(clip), str(tmp_path / "out"), "--frames", "every", "--every", "4"]) == 3
    said = capsys.readouterr().err
    assert "none of the 3 chosen frame(s) (--frames every) has a mask" in said, said
