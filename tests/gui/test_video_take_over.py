"""Take Over for videos, as image projects have it (`app.video.lock_view`): a video whose annotation folder
another computer's lock holds asks at its opening (Open Read-Only, the default, or Take Over); a video left
read-only by a lock offers Annotate ▸ Take Over… in video mode, which asks again about a holder on another
computer and takes the lock from that holder only, and reopens the video - a holder of this computer (a
process that still runs, another window of this one) is never asked about nor broken. A second window of
this process opening a video the first holds gets it read-only; the window's own re-openings and video
switches keep it. The holder finds a take-over out at its next stroke: read-only, said, the stroke rescued.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from app.main_window import MainWindow
from fosp_core.annotation.storage import LockInfo
from fosp_core.annotation.tool_state import Tool
from fosp_core.io.masks import read_mask
from fosp_core.video.folder_lock import LOCK_FILE
from fosp_core.video.testclip import write_clip
from tests.gui.annotation_helpers import drag
from tests.gui.video_helpers import open_video

pytestmark = pytest.mark.skipif(os.name != "posix", reason="holder processes held open through a pipe")


class Answers:
    """Stands in for the take-over question: records who it was asked about, answers `take`."""

    def __init__(self, take: bool) -> None:
        self.take = take
        self.asked: list[tuple[Path, LockInfo]] = []

    def __call__(self, parent: object, folder: Path, owner: LockInfo) -> bool:
        self.asked.append((folder, owner))
        return self.take


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    return write_clip(tmp_path / "clip.mp4", frames=12)


def state_of(tmp_path: Path) -> Path:
    return tmp_path / "video-state" / "video-clip"


def stroke(window: MainWindow) -> None:
    window.annotation.actions.tools[Tool.BRUSH].trigger()
    drag(window, [(100, 90), (130, 100)])


def reopen_and_wait(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    with qtbot.waitSignal(window.video.frame_shown, timeout=10_000):
        window.video.lock_view.take_over()


def test_another_computers_lock_is_asked_about_and_taken_over_later(qtbot, make_window, tmp_path: Path,  # noqa: ANN001
                                                                     clip: Path) -> None:
    window: MainWindow = make_window(show=True)
    lock = state_of(tmp_path) / LOCK_FILE
    lock.parent.mkdir(parents=True)
    theirs = {"pid": 4242, "host": "labpc-7", "created": time.time() - 7200, "user": "ana"}
    lock.write_text(json.dumps(theirs))
    no = Answers(False)
    window.video.lock_view.ask = no
    open_video(qtbot, window, clip, tmp_path)
    notes = window.video.annotations
    assert [(f, o.host, o.user) for f, o in no.asked] == [(state_of(tmp_path), "labpc-7", "ana")]
    assert notes is not None and notes.read_only and "Take Over…" in str(notes.read_only_reason)
    action = window.video.lock_view.action
    assert action in window.annotation.menu.actions() and action.isEnabled()
    assert not window.annotation.actions.take_over.isVisible()  # the images' own, put away in video mode
    yes = Answers(True)
    window.video.lock_view.ask = yes
    reopen_and_wait(qtbot, window)
    assert len(yes.asked) == 1
    notes = window.video.annotations
    assert notes is not None and not notes.read_only and json.loads(lock.read_text())["pid"] == os.getpid()
    assert not action.isEnabled()
    stroke(window)
    notes.finish_saves(wait=True)
    doc = window.annotation.controller.document
    assert doc is not None and doc.mask.any()
    np.testing.assert_array_equal(read_mask(notes.mask_path(0)), doc.mask)
    window.video.leave()
    assert action not in window.annotation.menu.actions() and window.annotation.actions.take_over.isVisible()


def test_a_lock_changed_hands_since_it_was_shown_is_not_broken(qtbot, make_window, tmp_path: Path,  # noqa: ANN001
                                                               clip: Path) -> None:
    window: MainWindow = make_window(show=True)
    lock = state_of(tmp_path) / LOCK_FILE
    lock.parent.mkdir(parents=True)
    lock.write_text(json.dumps({"pid": 4242, "host": "labpc-7", "created": 1000.0, "user": "ana"}))
    window.video.lock_view.ask = Answers(False)
    open_video(qtbot, window, clip, tmp_path)
    since = {"pid": 77, "host": "labpc-8", "created": 2000.0, "user": "bo"}
    lock.write_text(json.dumps(since))  # another computer took it since it was shown
    window.video.lock_view.ask = Answers(True)
    reopen_and_wait(qtbot, window)
    notes = window.video.annotations
    assert notes is not None and notes.read_only and notes.locked_by is not None and notes.locked_by.host == "labpc-8"
    assert json.loads(lock.read_text()) == since


HOLDER = textwrap.dedent("""
    import sys
    from fosp_core.video.timeline import VideoAnnotations
    clip, state = sys.argv[1:3]
    notes = VideoAnnotations(clip, 12, (120, 160), folder=state)
    print("ready", flush=True)
    sys.stdin.readline()
""")


def test_a_holder_of_this_computer_is_never_asked_about_nor_broken(qtbot, make_window, tmp_path: Path,  # noqa: ANN001
                                                                  clip: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(clip), str(state_of(tmp_path))], text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": os.getcwd()})
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        window: MainWindow = make_window(show=True)
        asked = Answers(True)
        window.video.lock_view.ask = asked
        open_video(qtbot, window, clip, tmp_path)
        notes = window.video.annotations
        assert notes is not None and notes.read_only and f"end process {proc.pid}" in str(notes.read_only_reason)
        assert window.video.lock_view.action.isEnabled()
        reopen_and_wait(qtbot, window)  # it still runs: reopened read-only, naming it
        notes = window.video.annotations
        assert asked.asked == [] and notes is not None and notes.read_only
        assert json.loads((state_of(tmp_path) / LOCK_FILE).read_text())["pid"] == proc.pid
        proc.kill()
        proc.wait()
        reopen_and_wait(qtbot, window)  # it has ended: its lock is stale, taken
        notes = window.video.annotations
        assert asked.asked == [] and notes is not None and not notes.read_only
    finally:
        proc.kill()
        proc.wait()


def test_a_second_window_of_this_program_gets_the_video_read_only(qtbot, make_window, tmp_path: Path,  # noqa: ANN001
                                                                  clip: Path) -> None:
    first: MainWindow = make_window(show=True)
    second: MainWindow = make_window(show=True)
    other = write_clip(tmp_path / "other.mp4", frames=12)
    open_video(qtbot, first, clip, tmp_path)
    assert first.video.annotations is not None and not first.video.annotations.read_only
    open_video(qtbot, second, clip, tmp_path)
    notes = second.video.annotations
    assert notes is not None and notes.read_only and "this very program, in another window" in str(notes.read_only_reason)
    assert not second.annotation.controller.writable
    stroke(second)
    assert not notes.mask_path(0).exists()
    open_video(qtbot, first, clip, tmp_path)  # the first window opening it again keeps it
    assert first.video.annotations is not None and not first.video.annotations.read_only
    open_video(qtbot, first, other, tmp_path)  # and another video, then back
    open_video(qtbot, first, clip, tmp_path)
    notes = first.video.annotations
    assert notes is not None and not notes.read_only
    stroke(first)
    notes.finish_saves(wait=True)
    assert notes.mask_path(0).exists()
    reopen_and_wait(qtbot, second)  # Take Over in the second while the first holds it: not broken
    assert second.video.annotations is not None and second.video.annotations.read_only
    first.video.leave()
    reopen_and_wait(qtbot, second)  # the first closed it: the second takes it
    assert second.video.annotations is not None and not second.video.annotations.read_only


TAKER = textwrap.dedent("""
    import json, socket, sys
    socket.gethostname = lambda: "labpc-7"  # another computer, taking over as its Take Over does
    from fosp_core.annotation.storage import LockInfo
    from fosp_core.video.folder_lock import opening_for
    from fosp_core.video.timeline import VideoAnnotations
    clip, state = sys.argv[1:3]
    held = json.loads(open(state + "/lock").read())
    owner = LockInfo(held["pid"], held["host"], held["created"], held.get("boot", ""), held.get("start", 0),
                     held.get("user", ""))
    with opening_for(None, break_lock=owner):
        notes = VideoAnnotations(clip, 12, (120, 160), folder=state)
    assert not notes.read_only, notes.read_only_reason
    print("taken", flush=True)
    sys.stdin.readline()
""")


def test_the_holder_finds_a_take_over_out_at_its_next_stroke(qtbot, make_window, tmp_path: Path,  # noqa: ANN001
                                                           clip: Path) -> None:
    window: MainWindow = make_window(show=True)
    open_video(qtbot, window, clip, tmp_path)
    notes = window.video.annotations
    assert notes is not None and not notes.read_only
    state = state_of(tmp_path)
    proc = subprocess.Popen([sys.executable, "-c", TAKER, str(clip), str(state)], text=True, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": os.getcwd()})
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "taken"
        masks_before = sorted(p.name for p in (state / "masks").glob("*")) if (state / "masks").exists() else []
        stroke(window)
        qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Read-only video: taken over"),
                        timeout=5000)
        assert notes.read_only and notes.locked_by is not None and notes.locked_by.host == "labpc-7"
        assert socket.gethostname() != "labpc-7"
        told = window.services.error_reporter.errors  # type: ignore[attr-defined]
        assert len(told) == 1 and "its mask is kept in" in told[0].reason
        rescued = list((state / "rescued").glob("clip_000000.*.png"))
        doc = window.annotation.controller.document
        assert len(rescued) == 1 and doc is not None and doc.mask.any()
        np.testing.assert_array_equal(read_mask(rescued[0]), doc.mask)
        assert str(rescued[0]) in told[0].reason
        assert sorted(p.name for p in (state / "masks").glob("*")) == masks_before if (state / "masks").exists() \
            else True
        assert not window.annotation.controller.writable
        assert "read-only: taken over" in window.annotation.tool_dock.status_label.text()
        assert window.video.lock_view.action.isEnabled()
        mask = doc.mask.copy()
        stroke(window)
        assert (doc.mask == mask).all()
        assert json.loads((state / LOCK_FILE).read_text())["host"] == "labpc-7"
    finally:
        proc.kill()
        proc.wait()


def test_a_removed_lock_file_is_found_at_the_next_keyframe_and_taken_again(qtbot, make_window,  # noqa: ANN001
                                                                           tmp_path: Path, clip: Path) -> None:
    window: MainWindow = make_window(show=True)
    open_video(qtbot, window, clip, tmp_path)
    notes = window.video.annotations
    lock = state_of(tmp_path) / LOCK_FILE
    assert notes is not None and lock.exists()
    lock.unlink()
    window.video.editor.toggle_keyframe()  # a video.json write finds it out
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Read-only video: its lock file"),
                    timeout=5000)
    assert notes.read_only and notes.lost_lock and notes.locked_by is None
    assert not (state_of(tmp_path) / "video.json").exists() and not lock.exists()
    told = window.services.error_reporter.errors  # type: ignore[attr-defined]
    assert len(told) == 1 and "removed" in told[0].reason
    assert window.video.lock_view.action.isEnabled()
    asked = Answers(True)
    window.video.lock_view.ask = asked
    reopen_and_wait(qtbot, window)
    notes = window.video.annotations
    assert asked.asked == [] and notes is not None and not notes.read_only
    assert json.loads(lock.read_text())["pid"] == os.getpid()
