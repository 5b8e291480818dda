"""`fosp video export` of a video renamed after it was labelled finds nothing to export (its annotation
folder and mask names follow its name): it says where the old labels are and how to export them again, as
the app's opening does (`fosp_core.video.left_behind`). Found by the video annotator's sweep (session 30,
task N)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fosp_core.cli import main
from fosp_core.video.testclip import write_clip
from fosp_core.video.timeline import VideoAnnotations


def test_a_renamed_video_s_export_says_where_its_labels_are(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clip = write_clip(tmp_path / "plume.mp4", frames=12)
    notes = VideoAnnotations(clip, 12, (120, 160))
    mask = np.zeros((120, 160), np.uint8)
    mask[40:60, 50:90] = 1
    notes.save_mask(3, mask)
    notes.flush_state()
    notes.release_lock()
    folder = notes.folder
    renamed = clip.rename(tmp_path / "plume-cam2.mp4")
    assert main(["video", "export", str(renamed), str(tmp_path / "out")]) == 3
    said = capsys.readouterr().err
    assert f"{folder} holds 1 labelled frame(s) of {clip}, which is no longer there" in said
    assert "rename it back to plume.mp4" in said
    assert not (tmp_path / "out").exists()
