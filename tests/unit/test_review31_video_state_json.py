"""video.json, read with json.loads(text): one saved by an editor that puts a UTF-8 byte order mark first
(Notepad before Windows 10 1903) was taken for a damaged file ("Unexpected UTF-8 BOM"), set aside as
video.json.damaged, the video's keyframes and frames to check lost; one nested deeper than Python's reader
goes (damaged bytes such as a run of '[') raised RecursionError out of the opening: the video could not be
opened at all. project.json got both fixes this session (16acd1d, f2fc45a: entries.read_json); video.json
is read through the same reader now: the mark read past, the deep file set aside as damaged."""

from __future__ import annotations

from pathlib import Path

from fosp_core.video.timeline import VideoAnnotations

SHAPE = (48, 64)


def _open(tmp_path: Path) -> VideoAnnotations:
    return VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=tmp_path / "state")


def test_a_state_file_with_a_byte_order_mark_keeps_its_keyframes(tmp_path: Path) -> None:
    notes = _open(tmp_path)
    notes.set_keyframe(4)
    notes.set_keyframe(9)
    notes.release_lock()
    state = tmp_path / "state" / "video.json"
    state.write_bytes(b"\xef\xbb\xbf" + state.read_bytes())
    again = _open(tmp_path)
    try:
        assert again.keyframes == {4, 9}
        assert not (tmp_path / "state" / "video.json.damaged").exists()
        assert not [w for w in again.warnings if "could not be read" in w]
    finally:
        again.release_lock()


def test_a_state_file_nested_too_deep_is_set_aside_not_raised(tmp_path: Path) -> None:
    notes = _open(tmp_path)
    notes.set_keyframe(4)
    notes.release_lock()
    state = tmp_path / "state" / "video.json"
    state.write_text("[" * 100_000, encoding="utf-8")
    again = _open(tmp_path)  # was: RecursionError
    try:
        assert (tmp_path / "state" / "video.json.damaged").exists()
        assert again.warnings and "kept as video.json.damaged" in again.warnings[0]
    finally:
        again.release_lock()


def test_the_folder_naming_and_left_behind_search_read_past_a_deep_state_file(tmp_path: Path) -> None:
    from fosp_core.video.left_behind import find_left_behind
    from fosp_core.video.naming import own_folder

    folder = own_folder(tmp_path, tmp_path / "clip.mp4")
    folder.mkdir(parents=True)
    (folder / "video.json").write_text("[" * 100_000, encoding="utf-8")
    assert own_folder(tmp_path, tmp_path / "clip.mp4") == folder  # was: RecursionError
    empty = tmp_path / "video-other"
    empty.mkdir()
    assert find_left_behind(empty, 20, SHAPE) == []  # its sibling's deep video.json: no folder left behind
