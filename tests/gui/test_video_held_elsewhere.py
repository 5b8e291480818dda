"""A video whose annotations another program holds (`fosp_core.video.folder_lock`): the window shows its
frames and masks read-only and says who holds them; the tools, the keyframe key and carry change nothing,
and nothing is written in its folder. A video the window opened itself has its folder locked until the
video closes (back to the images, another video, the window closing)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.main_window import MainWindow
from fosp_core.annotation.tool_state import Tool
from fosp_core.video.folder_lock import LOCK_FILE
from fosp_core.video.testclip import write_clip
from tests.gui.annotation_helpers import drag, key
from tests.gui.video_helpers import open_video

HOLDER = textwrap.dedent("""
    import sys
    import numpy as np
    from fosp_core.video.timeline import VideoAnnotations
    clip, state = sys.argv[1:3]
    notes = VideoAnnotations(clip, 12, (120, 160), folder=state)
    mask = np.zeros((120, 160), np.uint8)
    mask[20:60, 30:90] = 1
    notes.save_mask(0, mask)
    print("ready", flush=True)
    sys.stdin.readline()
    notes.release_lock()
""")


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    return write_clip(tmp_path / "clip.mp4", frames=12)


@pytest.fixture
def holder(tmp_path: Path, clip: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the clip's annotations (where the window keeps them), frame 0 masked."""
    state = tmp_path / "video-state" / "video-clip"
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(clip), str(state)], text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    yield proc
    proc.kill()
    proc.wait()


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_video_held_by_another_program_is_shown_read_only(qtbot, make_window, tmp_path: Path,  # noqa: ANN001
                                                            clip: Path, holder: subprocess.Popen[str]) -> None:
    window: MainWindow = make_window(show=True)
    state = tmp_path / "video-state" / "video-clip"
    before = files(state)
    open_video(qtbot, window, clip, tmp_path)
    video, controller = window.video, window.annotation.controller
    notes = video.annotations
    assert notes is not None and notes.read_only and notes.locked_by is not None
    assert notes.locked_by.pid == holder.pid
    assert f"read-only: locked by pid {holder.pid}" in window.statusBar().currentMessage()
    doc = controller.document
    assert doc is not None and doc.mask[40, 60] == 1  # its mask shown
    assert f"read-only: locked by pid {holder.pid}" in window.annotation.tool_dock.status_label.text()
    assert not controller.writable and controller.editable() is None
    assert window.statusBar().currentMessage().startswith(f"Read-only video: locked by pid {holder.pid}")
    mask = doc.mask.copy()
    window.annotation.actions.tools[Tool.BRUSH].trigger()
    drag(window, [(100, 90), (130, 100)])
    assert (doc.mask == mask).all() and not doc.can_undo
    key(window, "K")
    assert notes.keyframes == set() and "Read-only video" in window.statusBar().currentMessage()
    video.leave()
    assert files(state) == before  # no log applied, no mask, no video.json, the holder's lock kept


def test_the_window_locks_the_video_it_opens_until_it_closes(qtbot, make_window, tmp_path: Path,  # noqa: ANN001
                                                             clip: Path) -> None:
    window: MainWindow = make_window(show=True)
    lock = tmp_path / "video-state" / "video-clip" / LOCK_FILE
    open_video(qtbot, window, clip, tmp_path)
    assert not window.video.annotations.read_only and f'"pid": {os.getpid()}' in lock.read_text()
    window.video.leave()
    assert not lock.exists()
    open_video(qtbot, window, clip, tmp_path)
    assert lock.exists()
    window.close()
    assert not lock.exists()
