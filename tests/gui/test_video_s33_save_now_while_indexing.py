"""Save Now (Ctrl+S) while a long video's frame 0 is shown as its packets are indexed (`app.video.preview`): the
tools are lent no document then (attached, nothing to edit), and Ctrl+S said the video-frame words ("Each frame's
edit is saved as it is made ... (Save Now is for images)") though no frame of that video can be edited or saved
yet. It now says what is true: nothing to save on it until it is indexed; the edits made before it were saved as
they were made. Annotate > Save Now is greyed meanwhile and back once the video is in."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from fosp_core.annotation.tool_state import Tool
from fosp_core.video.testclip import write_clip
from tests.gui.annotation_helpers import drag
from tests.gui.video_helpers import open_video
from tests.held_scan import HeldScan

WAIT_MS = 10_000


def _ctrl_s(qtbot, window) -> list[str]:  # noqa: ANN001
    """What the status bar shows on Ctrl+S (and the tools' own message, if they send one)."""
    said: list[str] = []
    window.statusBar().messageChanged.connect(lambda text: said.append(text) if text else None)
    window.canvas.setFocus()
    QTest.keyClick(window.canvas, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(20)
    return said


@pytest.mark.parametrize("behind", ["nothing", "video"])
def test_ctrl_s_while_a_video_is_indexed_says_nothing_of_it_can_be_saved_yet(
        qtbot, make_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, behind: str) -> None:  # noqa: ANN001
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    video, save = window.video, window.annotation.actions.save_now
    if behind == "video":  # a video open and edited before: its frame's edit was saved as it was made
        open_video(qtbot, window, write_clip(tmp_path / "first.mp4", frames=12, size=(128, 96)), tmp_path)
        window.annotation.controller.state.set_tool(Tool.BRUSH)
        drag(window, [(20, 20), (60, 40)])
    video.state_root = tmp_path / "video-state"
    held = HeldScan(monkeypatch)
    clip = write_clip(tmp_path / "long.mp4", frames=30, size=(128, 96))
    window.open_paths([clip], remember=False)
    qtbot.waitUntil(lambda: video.preview.active, timeout=WAIT_MS)
    said = _ctrl_s(qtbot, window)
    assert said, "Ctrl+S said nothing"
    assert not any("Each frame's edit" in text or "Save Now is for images" in text for text in said), said
    assert "Nothing to save" in said[-1] and "long.mp4" in said[-1] and "being indexed" in said[-1], said
    assert not save.isEnabled()  # greyed in the Annotate menu meanwhile
    held.release()
    qtbot.waitUntil(lambda: video.active and video.reader is not None and video.preview.active is False
                    and video.reader.meta.path.name == "long.mp4", timeout=WAIT_MS)
    assert save.isEnabled()
    said = _ctrl_s(qtbot, window)
    assert said and "being indexed" not in said[-1], said  # the video's own words once it is in
