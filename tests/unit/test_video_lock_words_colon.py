"""A save refused because the video's lock file was removed names that file whole, whatever its folder is
called: the words were cut at the first ": " of the reason (`folder_lock._refusal`), so a folder named
"Survey: cam 2" left "not saved: the video's lock file (/…/Survey, so another program …"."""

from __future__ import annotations

from pathlib import Path

from fosp_core.annotation.tools import brush
from fosp_core.video.folder_lock import LOCK_FILE, LockLostError
from fosp_core.video.timeline import VideoAnnotations


def test_a_removed_lock_file_in_a_folder_named_with_a_colon_is_named_whole(tmp_path: Path) -> None:
    state = tmp_path / "Survey: cam 2"
    notes = VideoAnnotations(tmp_path / "cam.mp4", 20, (48, 64), folder=state)
    doc = notes.document(4)
    (state / LOCK_FILE).unlink()
    assert brush(doc, [(10, 10), (20, 12)], 3)
    error = notes.last_error
    assert isinstance(error, LockLostError)
    assert error.reason.startswith(f"not saved: the video's lock file ({state / LOCK_FILE}) was removed since it "
                                   "was opened, so another program may write its annotations now: "), error.reason
    assert error.reason.count("since it was opened") == 1
