"""Opening a video while another is still opening, on a network share slow to answer: `VideoOpening.open_async`
resolved the path asked for, the one opening and the one shown (``Path.resolve``: an ``lstat`` of each folder on the
way) on the GUI thread, to tell File ▸ Open Recent of the same file again ('Already opening …') and the video shown
asked for again ('… is open; opening … cancelled') from another file; on a share that stopped answering each froze the
window (session 37, N4).

They are told apart in memory now: the path as given (made absolute, not resolved) against the opening's as given
and the shown video's as given and as resolved on its open's thread (`OpenedVideo.resolved`: the recent list's
form). A link to either, not the same text, opens as any other file (the latest open wins). The share is simulated
as in `test_stall_s36b_video_recent` (`ImageShare`: ``Path.resolve`` and ``os.path.realpath`` held for paths under
it, each call's thread kept); no wall-clock assert."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.main_window import MainWindow
from fosp_core.video.testclip import write_clip
from tests.held_scan import HeldScan

from .conftest import WindowFactory
from .test_stall_s36b_switch_images import ImageShare
from .video_helpers import open_video

HELD_S = 5
WAIT_MS = 20_000


@pytest.fixture()
def share(tmp_path: Path) -> Iterator[ImageShare]:
    held = ImageShare(tmp_path / "share", HELD_S)
    Path(held.root).mkdir()
    yield held
    held.released.set()


def _hold_resolving(monkeypatch: pytest.MonkeyPatch, share: ImageShare) -> None:
    monkeypatch.setattr(Path, "resolve", share.hold("resolve", Path.resolve, lambda path, *_: path))
    monkeypatch.setattr(os.path, "realpath", share.hold("realpath", os.path.realpath, lambda path, *_: path))


def _window_showing(qtbot, make_window: WindowFactory, clip: Path, tmp_path: Path) -> MainWindow:  # noqa: ANN001
    window = make_window(show=True)
    open_video(qtbot, window, clip, tmp_path)
    return window


def test_stall_s37_the_video_shown_asked_for_again_while_another_opens_resolves_nothing_on_the_gui_thread(
        qtbot, make_window: WindowFactory, tmp_path: Path, share: ImageShare,
        monkeypatch: pytest.MonkeyPatch) -> None:
    clip = write_clip(Path(share.root) / "clip.mp4", frames=12)
    other = write_clip(tmp_path / "other.mp4", frames=12)
    window = _window_showing(qtbot, make_window, clip, tmp_path)
    video = window.video
    held = HeldScan(monkeypatch)
    video.open_async(other)
    assert video.opening == other
    _hold_resolving(monkeypatch, share)
    video.open_async(clip)  # the video behind: the other opening cancelled, nothing opened again
    assert share.on_gui() == {}, share.on_gui()
    assert video.opening is None and video.active and video.reader is not None
    assert window.statusBar().currentMessage() == "clip.mp4 is open; opening other.mp4 cancelled"
    share.released.set()
    held.release()


def test_stall_s37_open_recent_of_the_video_opening_resolves_nothing_on_the_gui_thread(
        qtbot, make_window: WindowFactory, tmp_path: Path, share: ImageShare,
        monkeypatch: pytest.MonkeyPatch) -> None:
    first = write_clip(tmp_path / "first.mp4", frames=12)
    clip = write_clip(Path(share.root) / "clip.mp4", frames=12)
    window = _window_showing(qtbot, make_window, first, tmp_path)
    video = window.video
    held = HeldScan(monkeypatch)
    video.open_async(clip)
    request = video._opening  # noqa: SLF001
    assert video.opening == clip
    _hold_resolving(monkeypatch, share)
    video.open_async(Path(str(clip)))  # File ▸ Open Recent, the same file again: its open goes on
    assert share.on_gui() == {}, share.on_gui()
    assert video._opening is not None and video._opening[0] == request[0]  # noqa: SLF001
    assert window.statusBar().currentMessage() == "Already opening clip.mp4…"
    share.released.set()
    with qtbot.waitSignal(video.frame_shown, timeout=WAIT_MS):
        held.release()
    assert video.reader is not None and video.reader.meta.path == clip


def test_stall_s37_the_video_shown_asked_for_by_its_resolved_path_is_known_too(
        qtbot, make_window: WindowFactory, tmp_path: Path, share: ImageShare,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Opened through a link, the shown video asked for by the file it names (File ▸ Open Recent keeps that one:
    resolved on its open's thread) is still the video behind."""
    share.released.set()
    clip = write_clip(Path(share.root) / "clip.mp4", frames=12)
    link = Path(share.root) / "latest.mp4"
    link.symlink_to(clip)
    other = write_clip(tmp_path / "other.mp4", frames=12)
    window = _window_showing(qtbot, make_window, link, tmp_path)
    video = window.video
    assert video.opened_resolved == clip.resolve()
    held = HeldScan(monkeypatch)
    video.open_async(other)
    video.open_async(clip.resolve())
    assert video.opening is None and video.reader is not None
    assert window.statusBar().currentMessage() == "clip.mp4 is open; opening other.mp4 cancelled"
    held.release()
