"""Opening a video never blocks the window: the reader's open probes the file (it decodes up to 48
frames to tell a variable frame rate, and the first frame: 0.2-0.3 s on the demo clips, about 1 s at
4K, more on a network file), and it ran on the GUI thread, the window frozen meanwhile. It runs on a
worker now; the latest open wins, one superseded or cancelled closes what it opened and shows nothing.
The probe is made slow here by holding `VideoFileReader._probe` (timing: bench/bench_video_open.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from app.services import CollectingErrorReporter
from fosp_core.video.reader import VideoFileReader
from fosp_core.video.testclip import write_clip

WAIT_MS = 10_000


@pytest.fixture
def closed(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files of the video readers closed from now on."""
    paths: list[Path] = []
    close = VideoFileReader.close

    def spy(self: VideoFileReader) -> None:
        paths.append(self.path)
        close(self)

    monkeypatch.setattr(VideoFileReader, "close", spy)
    return paths


def _hold_probe(monkeypatch: pytest.MonkeyPatch, hold: Callable[[Path], None]) -> None:
    """Every video file's probe calls `hold(path)` first (on the thread that opens it)."""
    probe = VideoFileReader._probe

    def held(self: VideoFileReader):  # noqa: ANN202
        hold(self.path)
        return probe(self)

    monkeypatch.setattr(VideoFileReader, "_probe", held)


def _held_open_setup(make_window, tmp_path: Path,  # noqa: ANN001, ANN202
                     monkeypatch: pytest.MonkeyPatch):
    """A 4-frame clip, a shown window writing under `tmp_path`, and every probe held: `probing` is
    set once one starts, which then waits (at most 2 s) for `release`."""
    clip = write_clip(tmp_path / "clip.mp4", frames=4)
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.video.state_root = tmp_path / "video-state"
    probing, release = threading.Event(), threading.Event()

    def hold(_path: Path) -> None:
        probing.set()
        release.wait(2)

    _hold_probe(monkeypatch, hold)
    return clip, window, probing, release


def test_the_event_loop_turns_while_a_video_opens(qtbot, make_window, tmp_path: Path,  # noqa: ANN001
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    clip = write_clip(tmp_path / "clip.mp4", frames=6, size=(128, 96))
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.video.state_root = tmp_path / "video-state"
    ticks = [0]
    timer = QTimer(interval=5)
    timer.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
    timer.start()
    during: list[int] = []

    def slow(_path: Path) -> None:  # a slow file: the probe waits for 3 turns of the event loop (at most 2 s)
        start = ticks[0]
        for _ in range(400):
            if ticks[0] >= start + 3:
                break
            time.sleep(0.005)
        during.append(ticks[0] - start)

    _hold_probe(monkeypatch, slow)
    with qtbot.waitSignal(window.video.frame_shown, timeout=WAIT_MS):
        window.open_paths([clip], remember=False)
        assert window.video.opening == clip and not window.video.panel.opening.isHidden()
        assert window.statusBar().currentMessage() == "Opening video clip.mp4…"
    timer.stop()
    assert len(during) == 1 and during[0] >= 3  # the timer fired while the file was probed (0 on the GUI thread)
    assert window.video.active and window.canvas.image_shape == (96, 128)
    assert window.video.opening is None and window.video.panel.opening.isHidden()
    assert window.statusBar().currentMessage().startswith("Opened video clip.mp4: 6 frames")


def test_a_second_file_opened_during_the_first_s_probe_is_the_only_one_shown(qtbot, make_window,  # noqa: ANN001
                                                                            tmp_path: Path, closed: list[Path],
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    first = write_clip(tmp_path / "first.mp4", frames=6)
    second = write_clip(tmp_path / "second.mp4", frames=4, size=(128, 96))
    reporter = CollectingErrorReporter()
    window = make_window(error_reporter=reporter, show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.video.state_root = tmp_path / "video-state"
    probing, release = threading.Event(), threading.Event()

    def hold_first(path: Path) -> None:
        if path == first:
            probing.set()
            release.wait(2)  # (2 s: where the probe holds the GUI thread, the test goes on)

    _hold_probe(monkeypatch, hold_first)
    shown: list[tuple[int, tuple[int, ...]]] = []
    window.video.frame_shown.connect(lambda index: shown.append((index, window.canvas.image_shape)))
    opened: list[Path] = []
    window.video.opened.connect(opened.append)
    window.open_paths([first], remember=False)
    assert probing.wait(5)
    with qtbot.waitSignal(window.video.frame_shown, timeout=WAIT_MS):
        window.open_paths([second], remember=False)
    release.set()
    qtbot.waitUntil(lambda: first in closed, timeout=WAIT_MS)  # the first's thread closed what it opened
    qtbot.wait(50)
    assert opened == [second] and shown == [(0, (96, 128))]  # the first never opened (it did, then the second)
    assert window.video.reader is not None and window.video.reader.meta.path == second
    assert window.video.frame_count == 4 and reporter.errors == []


def test_images_opened_or_the_window_closed_during_a_probe_drop_the_video(qtbot, make_window, tmp_path: Path,  # noqa: ANN001
                                                                          demo_dir: Path, closed: list[Path],
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    clip, window, probing, release = _held_open_setup(make_window, tmp_path, monkeypatch)
    window.open_paths([clip], remember=False)
    assert probing.wait(5)
    window.open_paths([demo_dir], remember=False)  # images: the video still opening is dropped
    assert window.video.opening is None and window.video.panel.opening.isHidden()
    release.set()
    qtbot.waitUntil(lambda: clip in closed, timeout=WAIT_MS)
    qtbot.wait(50)
    assert not window.video.active and len(window.session) > 0

    probing.clear()
    release.clear()
    window.open_paths([clip], remember=False)
    assert probing.wait(5)
    threading.Timer(0.1, release.set).start()
    window.close()  # waits for the probe, whose reader is closed: nothing left in FFmpeg at exit
    assert closed.count(clip) == 2 and not window.video.active


def test_esc_cancels_a_video_open_from_any_focus(qtbot, make_window, tmp_path: Path,  # noqa: ANN001
                                                 closed: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Esc cancels an image open under way; it did nothing to a video open (only its Cancel button did)."""
    clip, window, probing, release = _held_open_setup(make_window, tmp_path, monkeypatch)
    window.image_list.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.image_list)
    window.open_paths([clip], remember=False)
    assert probing.wait(5)
    qtbot.keyClick(window.image_list, Qt.Key.Key_Escape)
    assert window.video.opening is None and window.video.panel.opening.isHidden()
    assert window.statusBar().currentMessage() == "Opening clip.mp4 cancelled"
    release.set()
    qtbot.waitUntil(lambda: clip in closed, timeout=WAIT_MS)  # its thread closed what it opened
    qtbot.wait(50)
    assert not window.video.active
    window.annotation.controller.state.set_tool("brush")
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_Escape)  # no open under way: Esc is the tools' again
    assert window.annotation.controller.state.tool == "navigate"
