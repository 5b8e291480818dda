"""Opening a video (or a folder named as one) on a network share slow to answer: which of the paths are videos
was looked at on the GUI thread (session 36).

`Opener.open` split the paths with `fosp_core.open_paths.split_video_paths`, which makes an ``is_dir`` of every
path named as a video (``clip.mp4``; a folder may be named so) before anything opened: on a share that stopped
answering it froze the window before the open's worker even started. `app.open_split.VideoSplit` makes that look on
a thread now; the open goes on from its answer as before, and a cancel (or another open) meanwhile drops it.

The share is simulated as in `test_stall_s36_open_slow_share` (`Share`): ``Path.is_dir`` held for paths under it
until the test releases them, each call's thread kept; that the event loop turns meanwhile is shown by a timer
firing; no wall-clock assert."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from app import open_split
from fosp_core.video.testclip import write_clip

from .conftest import WindowFactory
from .test_stall_s36_open_slow_share import Share, _turns_while_held

HELD_S = 5


@pytest.fixture()
def share(tmp_path: Path) -> Iterator[Share]:
    held = Share(tmp_path / "share", HELD_S)
    Path(held.root).mkdir()
    yield held
    held.released.set()


def _hold_is_dir(monkeypatch: pytest.MonkeyPatch, share: Share) -> None:
    monkeypatch.setattr(Path, "is_dir", share.hold("is_dir", Path.is_dir, lambda path, *_: path))
    monkeypatch.setattr(open_split, "SPLIT_WAIT_S", 0.05)  # the GUI thread's wait (0.5 s), which the share outlasts


def _window(make_window: WindowFactory, tmp_path: Path):  # noqa: ANN202
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"  # outside the share
    window.video.state_root = tmp_path / "video-state"
    return window


def test_stall_s36d_a_video_on_a_held_share_is_looked_at_off_the_gui_thread(
        qtbot, make_window: WindowFactory, tmp_path: Path, share: Share, monkeypatch: pytest.MonkeyPatch) -> None:
    clip = write_clip(Path(share.root) / "clip.mp4", frames=12, fps=24.0)
    window = _window(make_window, tmp_path)
    _hold_is_dir(monkeypatch, share)
    assert window.open_paths([clip], remember=True) == []
    qtbot.waitUntil(share.stuck.is_set, timeout=10_000)
    _turns_while_held(qtbot, share)
    assert window.opener.busy  # the open is still to come
    with qtbot.waitSignal(window.video.frame_shown, timeout=30_000):
        share.released.set()
    assert share.on_gui() == {}, share.on_gui()
    assert "is_dir" in share.threads  # it was looked at, on a thread
    assert window.video.active and window.video.opened_resolved == clip.resolve()
    qtbot.waitUntil(lambda: window.recent.paths()[:1] == [clip.resolve()], timeout=10_000)
    assert not window.opener.busy


def test_stall_s36d_a_folder_named_as_a_video_opens_its_images_as_before(
        qtbot, make_window: WindowFactory, tmp_path: Path, share: Share, demo_dir: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    folder = shutil.copytree(demo_dir / "JPEGImages", Path(share.root) / "frames.mp4")
    window = _window(make_window, tmp_path)
    _hold_is_dir(monkeypatch, share)
    assert window.open_paths([folder], remember=True) == []
    qtbot.waitUntil(share.stuck.is_set, timeout=10_000)
    _turns_while_held(qtbot, share)
    with qtbot.waitSignal(window.opener.opened, timeout=30_000) as opened:
        share.released.set()
    assert share.on_gui() == {}, share.on_gui()
    assert len(opened.args[0]) == 4 and len(window.session) == 4 and window.session.errors == ()
    assert not window.video.active
    assert window.session.current_path is not None and window.session.current_path.parent == folder.resolve()
    assert window.recent.paths()[0] == folder.resolve()


def test_stall_s36d_cancelled_while_looked_at_opens_nothing(
        qtbot, make_window: WindowFactory, tmp_path: Path, share: Share, monkeypatch: pytest.MonkeyPatch) -> None:
    clip = write_clip(Path(share.root) / "clip.mp4", frames=12, fps=24.0)
    window = _window(make_window, tmp_path)
    _hold_is_dir(monkeypatch, share)
    assert window.open_paths([clip], remember=True) == []
    qtbot.waitUntil(share.stuck.is_set, timeout=10_000)
    assert window.opener.cancel()  # Esc, or the Cancel button
    assert not window.opener.busy
    share.released.set()
    qtbot.waitUntil(lambda: not any(t.name == "open-split" for t in threading.enumerate()), timeout=10_000)
    QCoreApplication.processEvents()  # its answer delivered: dropped
    assert window.video.opening is None
    assert share.on_gui() == {}, share.on_gui()
    assert not window.video.active and window.recent.paths() == []
