"""Opening a folder, or a video, whose labels are kept elsewhere (the folder read-only, or File ▸ projects kept
under a chosen folder): the window said where they are kept after a look at the folder on the GUI thread
(`OpeningNotes.say_where_kept` / the video's `_tell_numbering` -> `app.open_words.kept_elsewhere_text` ->
`writable_folder`: the folder's ``stat``, ``os.access``, ``statvfs``; the video's ``is_dir``). On a share that
stopped answering each held the window (session 36).

The open's worker looks now (`app.open_words.look_kept_where`, from `prepare_projects` and `prepare_video`); the
words are the same (`test_labels_kept_where.py`). The share's calls are recorded by thread as in
`test_stall_s36_open_slow_share` (`Share`, released at once: no wall-clock assert)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.open_words import shown_path
from fosp_core.video.testclip import write_clip
from fosp_core.video.timeline import state_folder

from .annotation_helpers import open_and_wait
from .conftest import WindowFactory
from .test_labels_kept_where import read_only
from .test_stall_s36_open_slow_share import Share


@pytest.fixture()
def share(tmp_path: Path) -> Iterator[Share]:
    looked = Share(tmp_path / "share", 5)
    looked.released.set()  # recorded, not held
    yield looked


def _record_folder_looks(monkeypatch: pytest.MonkeyPatch, share: Share, paths: set[str]) -> None:
    """Record each thread's `os.stat` / `os.access` / `os.statvfs` of the `paths` (writable_folder's, is_dir's)."""
    exact = lambda path, *_: path if os.fspath(path) in paths else ""  # noqa: E731
    for name in ("stat", "access", "statvfs"):
        monkeypatch.setattr(os, name, share.hold(name, getattr(os, name), exact))


@pytest.mark.parametrize("folder_read_only", [True, False])
def test_stall_s36c_an_image_folder_kept_elsewhere_is_not_looked_at_on_the_gui_thread(
        qtbot, make_window: WindowFactory, tmp_path: Path, share: Share, demo_dir: Path,
        monkeypatch: pytest.MonkeyPatch, folder_read_only: bool) -> None:
    photos = shutil.copytree(demo_dir / "JPEGImages", Path(share.root) / "photos")
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"  # kept elsewhere, always
    mode = photos.stat().st_mode
    _record_folder_looks(monkeypatch, share, {str(photos), str(photos.resolve())})
    try:
        if folder_read_only:
            os.chmod(photos, 0o555)
        open_and_wait(qtbot, window, photos)
    finally:
        os.chmod(photos, mode)
    assert share.on_gui() == {}, share.on_gui()
    project = window.annotation.controller.project
    assert project is not None and photos not in project.folder.parents
    said = window.annotation.controller.notes.last
    words = f"labels of this folder are kept in {shown_path(project.folder)} (the folder is read-only)"
    assert (said is not None and words in said[0].lower()) == folder_read_only, said
    window.annotation.controller.close()


def test_stall_s36c_a_video_in_a_read_only_folder_is_not_looked_at_on_the_gui_thread(
        qtbot, make_window: WindowFactory, tmp_path: Path, share: Share, monkeypatch: pytest.MonkeyPatch) -> None:
    (Path(share.root) / "videos").mkdir(parents=True)
    clip = write_clip(Path(share.root) / "videos" / "clip.mp4", frames=12)
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.video.state_root = None  # the default: beside the video, or the user cache
    with read_only(clip.parent):
        kept = state_folder(clip)
        assert clip.parent not in kept.parents
        with qtbot.waitSignal(window.video.frame_shown, timeout=10_000):
            window.open_paths([clip], remember=False)  # the paths' split looks at it first (not this test's)
            _record_folder_looks(monkeypatch, share, {str(clip), str(clip.parent)})  # the video opens on its thread
        monkeypatch.undo()
    assert share.on_gui() == {}, share.on_gui()
    words = f"Labels of this video are kept in {shown_path(kept)} (the folder is read-only)"
    assert window.video.panel.kept_label.text().replace("\u200b", "") == words
