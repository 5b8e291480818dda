"""Take Over of a project whose folder is read-only (its labels kept elsewhere: under File ▸ projects kept under a
chosen folder) looked at that folder on the GUI thread to say again where the labels are kept (session 36).

An open's worker looks at the folder (`app.open_words.look_kept_where`, `test_stall_s36c_kept_where`); Take Over's
reopening (`LockPrompt.take_over_later` -> `ProjectRegistry.take_over`, then `adopt_projects`) is not an open's, so
`kept_where_looked` looked (`writable_folder`: the folder's ``stat``, ``os.access``, ``statvfs``): on a share that
stopped answering it held the window. The reopened project is kept where it was: the words said at its open are
said again (`app.open_words.say_kept_where_again`), the folder not looked at. Each thread's calls recorded as in
`test_stall_s36c_kept_where` (`Share`, released at once). Take Over's reopening itself (`Project.open` of the project
folder, its images root resolved: a ``stat`` of the source folder) ran on the GUI thread too in session 36; since
session 37 it runs on a thread of its own (`app.annotation.take_over_wait`), the GUI thread waiting for it a moment
only: `test_stall_s37_take_over_slow_share` holds it and shows the window turning. Here the disk answers: it is
taken over within that moment."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from app.open_words import shown_path

from .annotation_helpers import open_and_wait
from .conftest import WindowFactory
from .test_shared_project_gui import _Answers
from .test_stall_s36_open_slow_share import Share

pytestmark = pytest.mark.skipif(os.name != "posix", reason="a read-only folder by its mode bits")


def _record_writable_looks(monkeypatch: pytest.MonkeyPatch, share: Share, paths: set[str]) -> None:
    """Record each thread's `os.access` / `os.statvfs` of the `paths`: `writable_folder`'s own calls (its ``stat`` is
    not told apart from the reopening's own: `Project.open` resolves the project's images root, a ``stat`` of the
    folder, on Take Over's thread; `test_stall_s37_take_over_slow_share` holds that one, see the module doc)."""
    exact = lambda path, *_: path if os.fspath(path) in paths else ""  # noqa: E731
    for name in ("access", "statvfs"):
        monkeypatch.setattr(os, name, share.hold(name, getattr(os, name), exact))


def test_stall_s36d_take_over_of_a_read_only_folder_s_project_does_not_look_at_it_on_the_gui_thread(
        qtbot, make_window: WindowFactory, tmp_path: Path, demo_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    share = Share(tmp_path / "share", 5)
    share.released.set()  # recorded, not held
    photos = shutil.copytree(demo_dir / "JPEGImages", Path(share.root) / "photos")
    mode = photos.stat().st_mode
    first = make_window(show=True)
    first.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, first, photos)
    project = first.annotation.controller.project
    assert project is not None and photos not in project.folder.parents
    location = project.folder
    first.annotation.controller.close()
    lock = {"pid": 4242, "host": "labpc-7", "created": time.time() - 7200, "user": "ana"}
    (location / "lock").write_text(json.dumps(lock))  # another computer holds it
    window = make_window(show=True)
    controller = window.annotation.controller
    controller.registry.projects_root = tmp_path / "projects"
    controller.lock_prompt.ask = _Answers(False)  # Open Read-Only
    words = f"labels of this folder are kept in {shown_path(location)} (the folder is read-only)"
    try:
        os.chmod(photos, 0o555)
        open_and_wait(qtbot, window, photos)
        old = controller.project
        assert old is not None and old.read_only and old.folder == location
        assert words in controller.notes.last[0].lower(), controller.notes.last
        _record_writable_looks(monkeypatch, share, {str(photos), str(photos.resolve())})
        answers = _Answers(True)
        controller.lock_prompt.ask = answers
        window.annotation.actions.take_over.trigger()
        monkeypatch.undo()
    finally:
        os.chmod(photos, mode)
    assert len(answers.asked) == 1
    new = controller.project
    assert new is not None and new is not old and not new.read_only and new.folder == location
    assert share.on_gui() == {}, share.on_gui()
    said = controller.notes.last
    assert said is not None and words in said[0].lower(), said  # said again, as at its open
    controller.close()
