"""A FoSp Studio killed while it wrote ``video.json`` or a frame's mask leaves the atomic write's temporary
file (``.video.json.<random>.tmp``, ``masks/.<frame>.png.<random>.tmp``) in the video's annotation folder;
the next opening that holds the lock removes them, as an image project's opening does
(`fosp_core.annotation.project_files.remove_stale_temps`), and a read-only one leaves them. Found by the video
annotator's sweep (session 30, task N): a kill right after a keyframe change left ``.video.json.ydrnl041.tmp``
there for good, one more at each such kill."""

from __future__ import annotations

from pathlib import Path

from fosp_core.video.timeline import VideoAnnotations


def _leftovers(folder: Path) -> list[Path]:
    (folder / "masks").mkdir(parents=True)
    made = [folder / ".video.json.ydrnl041.tmp", folder / "masks" / ".clip_000003.png.0a1b2c3d.tmp"]
    for path in made:
        path.write_bytes(b"half written")
    return made


def test_the_writer_s_opening_removes_a_killed_write_s_temporary_files(tmp_path: Path) -> None:
    folder = tmp_path / "video-clip"
    made = _leftovers(folder)
    notes = VideoAnnotations(tmp_path / "clip.mp4", 10, (12, 16), folder=folder)
    try:
        assert not notes.read_only
        assert [p for p in made if p.exists()] == []
    finally:
        notes.release_lock()


def test_a_read_only_opening_leaves_them(tmp_path: Path) -> None:
    folder = tmp_path / "video-clip"
    made = _leftovers(folder)
    notes = VideoAnnotations(tmp_path / "clip.mp4", 10, (12, 16), folder=folder, lock=False)
    assert notes.read_only
    assert [p for p in made if p.exists()] == made
