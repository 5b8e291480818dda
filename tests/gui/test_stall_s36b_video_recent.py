"""Opening a video on a network share slow to answer: its path is resolved on the video's open thread, not on the
GUI thread (session 36).

Before, once the video was shown, `Opener._video_opened` put it in the recent list with `RecentPaths.add` (the
path resolved there) and `VideoMode._show_opened` looked up its last frame with `LastFrames.frame` (resolved
again), as did `LastFrames.remember` each time its playhead rested on a frame: on a share that stopped answering,
each froze the window. `prepare_video` resolves it on the open's thread (``OpenedVideo.resolved``); the recent
list (`RecentPaths.add_resolved`) and the last frames (`LastFrames.resolved_as`) take it.

The share is simulated as in `test_stall_s36_open_slow_share` (`ImageShare`, its files included): ``Path.resolve``
and ``os.path.realpath`` held for paths under it until the test releases them, each call's thread kept; no
wall-clock assert.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.video import resume
from fosp_core.video.testclip import write_clip

from .conftest import WindowFactory
from .test_stall_s36b_switch_images import ImageShare, turns_while_held

HELD_S = 5


@pytest.fixture()
def share(tmp_path: Path) -> Iterator[ImageShare]:
    held = ImageShare(tmp_path / "share", HELD_S)
    yield held
    held.released.set()


def test_stall_s36b_a_video_opened_on_a_held_share_is_remembered_without_resolving_on_the_gui_thread(
        qtbot, make_window: WindowFactory, tmp_path: Path, share: ImageShare,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Opened through a link on the share: the recent list and its last frame get the file it names, resolved on
    the open's thread; the GUI thread resolves nothing, and turns while the share holds the open."""
    Path(share.root).mkdir()
    clip = write_clip(Path(share.root) / "clip.mp4", frames=12, fps=24.0).resolve()
    link = Path(share.root) / "latest.mp4"
    link.symlink_to(clip)
    monkeypatch.setattr(resume, "REST_MS", 200)  # the playhead's rest before its frame is kept (1 s), waited out
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.video.state_root = tmp_path / "video-state"
    monkeypatch.setattr(Path, "resolve", share.hold("resolve", Path.resolve, lambda path, *_: path))
    monkeypatch.setattr(os.path, "realpath", share.hold("realpath", os.path.realpath, lambda path, *_: path))
    assert window.open_paths([link], remember=True) == []  # a video opens on its thread
    qtbot.waitUntil(share.stuck.is_set, timeout=10_000)
    turns_while_held(qtbot, share)
    with qtbot.waitSignal(window.video.frame_shown, timeout=30_000):
        share.released.set()
    qtbot.waitUntil(lambda: window.recent.paths()[:1] == [clip], timeout=10_000)
    qtbot.waitUntil(lambda: clip in window.video.last_frames.videos(), timeout=10_000)  # its playhead rested
    assert share.on_gui() == {}, share.on_gui()
    assert window.video.active and window.video.opened_resolved == clip
    assert window.video.last_frames.frame(link) == window.video.last_frames.frame(clip) == 0
