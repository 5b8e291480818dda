"""fosp predict on a video whose name holds glob characters (a[1].mp4): its existing outputs are
found by its own name, not as a pattern (a1_f... of another video is not its, a[1]_f... is)."""

from __future__ import annotations

from pathlib import Path

from fosp_core.infer.jobs import _existing_video_outputs
from fosp_core.infer.outputs import kind_folder


def test_existing_frame_outputs_of_a_video_named_with_brackets(tmp_path: Path) -> None:
    masks = kind_folder(tmp_path, "mask")
    masks.mkdir(parents=True)
    (masks / "a1_f000000.png").write_bytes(b"x")  # another video's frame (a1.mp4)
    video = Path("clips/a[1].mp4")
    assert _existing_video_outputs(tmp_path, video, ("mask",), None) is None
    (masks / "a[1]_f000000.png").write_bytes(b"x")
    assert _existing_video_outputs(tmp_path, video, ("mask",), None) == masks / "a[1]_f000000.png"
