"""A video annotator's app killed mid-edit (QA, task F of session 27): a child process commits strokes on
two frames of a clip (one undone and redone), marks a keyframe, starts a third stroke and is killed
(SIGKILL) before that stroke ends. Opened again, every committed mask and mark is back, exactly, and the
unfinished stroke left nothing (no mask file, no edited mark). No defect found: frame masks are saved
(fsync'ed, atomically) at each commit; this pins it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from fosp_core.video.testclip import write_clip
from fosp_core.video.timeline import VideoAnnotations

CHILD = textwrap.dedent("""
    import os, signal, sys
    import numpy as np
    from fosp_core.annotation.tools import BrushStroke, brush
    from fosp_core.video.timeline import VideoAnnotations
    clip, state, expected = sys.argv[1:4]
    notes = VideoAnnotations(clip, 12, (120, 160), folder=state)
    three = notes.document(3)
    assert brush(three, [(20, 20), (60, 40)], 6)
    five = notes.document(5)
    assert brush(five, [(100, 90), (140, 100)], 9)
    assert brush(five, [(10, 100), (30, 110)], 4)
    five.undo()
    five.redo()
    notes.set_keyframe(5)
    np.savez(expected, three=three.mask, five=five.mask)
    stroke = BrushStroke(notes.document(7), 8)
    stroke.add_point(50, 50)
    stroke.add_point(90, 70)  # painted, not committed: the mouse is still down
    os.kill(os.getpid(), signal.SIGKILL)
""")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_committed_frame_edits_survive_a_kill_mid_stroke(tmp_path: Path) -> None:
    clip = write_clip(tmp_path / "clip.mp4", frames=12)
    state, expected = tmp_path / "state", tmp_path / "expected.npz"
    child = subprocess.run([sys.executable, "-c", CHILD, str(clip), str(state), str(expected)],
                           capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert child.returncode == -signal.SIGKILL, child.stderr
    masks = np.load(expected)
    notes = VideoAnnotations(clip, 12, (120, 160), folder=state)
    assert notes.edited == {3, 5} and notes.keyframes == {5}
    np.testing.assert_array_equal(notes.load_mask(3), masks["three"])
    np.testing.assert_array_equal(notes.load_mask(5), masks["five"])
    assert masks["five"][100:112, 8:34].any()  # the redone stroke is in it
    assert notes.load_mask(7) is None and not notes.mask_path(7).exists()
