"""One window opening a video it holds again under another path to the same folder (a symbolic link to the
video's folder, a second mount of it): the two openings share the folder's lock as any two of that owner
do (`fosp_core.video.folder_lock`: openings are found by the lock file the folder holds, not by the path
written). Before, the second looked for a share under the path it was given, found none, met its own lock
file and came out read-only, 'held by this very program, in another window' - the same window."""

from __future__ import annotations

from pathlib import Path

from fosp_core.video.folder_lock import LOCK_FILE, opening_for
from fosp_core.video.timeline import VideoAnnotations

SHAPE = (48, 64)


def test_one_owners_openings_through_a_link_share_the_lock(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "data", target_is_directory=True)
    window, other_window = object(), object()
    with opening_for(window):
        shown = VideoAnnotations(tmp_path / "data" / "cam.mp4", 20, SHAPE)
        again = VideoAnnotations(tmp_path / "link" / "cam.mp4", 20, SHAPE)
    with opening_for(other_window):
        elsewhere = VideoAnnotations(tmp_path / "link" / "cam.mp4", 20, SHAPE)
    assert shown.read_only_reason is None
    assert again.read_only_reason is None and again.lock is shown.lock  # before: read-only, 'another window'
    assert elsewhere.read_only and "this very program, in another window" in str(elsewhere.read_only_reason)
    lock = tmp_path / "data" / ".fosp" / "video-cam" / LOCK_FILE
    shown.release_lock()
    assert lock.exists()  # the other opening still holds it
    again.release_lock()
    assert not lock.exists()
