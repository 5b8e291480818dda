"""`VideoOpener` answered on its own signals from its threads (`indexing` even outside its lock): a thread
still running once the window's opener was deleted (a dead drive past the close's wait) emitted on a deleted
QObject. Its threads emit on a relay now (`app.relay`), the opener's signals coming on the GUI thread only."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Qt

from app.video.open_worker import VideoOpener, prepare_video
from fosp_core.video.errors import VideoOpenError
from fosp_core.video.testclip import write_clip


def _threads_of(opener: VideoOpener) -> list[tuple[str, str]]:
    """(signal, the thread it was emitted on) for each of the opener's signals, as they come."""
    seen: list[tuple[str, str]] = []
    for name in ("opened", "failed", "probed", "indexing"):
        getattr(opener, name).connect(lambda *_a, n=name: seen.append((n, threading.current_thread().name)),
                                      Qt.ConnectionType.DirectConnection)
    return seen


def test_an_open_is_answered_on_the_gui_thread(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    clip = write_clip(tmp_path / "clip.mp4", frames=12)
    opener = VideoOpener()
    seen = _threads_of(opener)
    with qtbot.waitSignal(opener.opened, timeout=20000) as blocker:
        opener.open(clip, lambda path: prepare_video(path, tmp_path / "state", opener.owner))
    opened = blocker.args[1]
    opened.reader.close()
    opened.annotations.release_lock()
    opener.shutdown()
    assert ("opened", threading.current_thread().name) in seen
    assert {thread for _, thread in seen} == {threading.current_thread().name}  # was: video-open


def test_a_failure_is_answered_on_the_gui_thread(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    opener = VideoOpener()
    seen = _threads_of(opener)

    def fail(path: Path):  # noqa: ANN202
        raise VideoOpenError(path, "not a video")

    with qtbot.waitSignal(opener.failed, timeout=20000) as blocker:
        opener.open(tmp_path / "nothing.mp4", fail)
    opener.shutdown()
    assert "not a video" in blocker.args[2]
    assert seen == [("failed", threading.current_thread().name)]  # was: video-open


def test_a_thread_ending_after_the_opener_is_deleted_emits_into_nothing(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    opener = VideoOpener()
    go, ended = threading.Event(), threading.Event()

    def slow(path: Path):  # noqa: ANN202
        go.wait(10)
        try:
            raise VideoOpenError(path, "gone")
        finally:
            ended.set()

    opener.open(tmp_path / "nothing.mp4", slow)
    opener.deleteLater()
    qtbot.wait(50)  # deleted, its thread still running (the lock check passes: no shutdown)
    go.set()
    assert ended.wait(10)
    qtbot.wait(100)  # the answer queued to a deleted opener is dropped, not a crash
