"""A project (or a video's frames) let go with a save still held by a disk that stopped answering
(`app.annotation.close_waits.let_go`: Close Anyway, or the window's close) has its ``save_notify``
set to None, so that the save thread, when the disk answers later, calls nothing of the window
being torn down. The save thread had been made with the notify of the time and kept calling it:
a Qt signal emitted from the save thread onto a controller the window's teardown was deleting
crashed a test worker in CI (test_disk_s34_flush_bounded). Setting ``save_notify`` now reaches the
save thread made before."""

from __future__ import annotations

import threading
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation import mask_saves, tools
from fosp_core.annotation.project import Project
from fosp_core.video import frame_saves
from fosp_core.video.timeline import VideoAnnotations


def _gate(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> tuple[threading.Event, threading.Event]:
    """(held, gate): `module.name` (the PNG encoder) sets `held` and waits at `gate`."""
    held, gate, real = threading.Event(), threading.Event(), getattr(module, name)

    def waiting(*args: object, **kwargs: object) -> bytes:
        held.set()
        assert gate.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, waiting)
    return held, gate


def test_a_project_let_go_no_longer_notifies_when_its_held_save_ends(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "images"
    folder.mkdir()
    cv2.imwrite(str(folder / "img0.png"), np.full((40, 60, 3), 90, np.uint8))
    held, gate = _gate(monkeypatch, mask_saves, "encode_mask_png")
    calls: list[str] = []
    with Project.open(folder) as project:
        project.save_in_background = True
        project.save_notify = lambda: calls.append("before")
        doc = project.open_document(project.ids[0])
        tools.brush(doc, [(10.0, 10.0), (30.0, 20.0)], 4)
        assert held.wait(10)
        project.save_notify = None  # let go
        gate.set()
        project.finish_saves(wait=True)
        assert calls == [], "the save thread called the notify of the window that let the project go"
        project.save_notify = lambda: calls.append("after")  # set again: the same thread calls the new one
        tools.brush(doc, [(5.0, 5.0), (8.0, 9.0)], 2)
        project.finish_saves(wait=True)
        assert calls and set(calls) == {"after"}, calls


def test_a_video_let_go_no_longer_notifies_when_its_held_save_ends(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    held, gate = _gate(monkeypatch, frame_saves, "encode_frame_mask_png")
    notes = VideoAnnotations(tmp_path / "cam.mp4", 20, (48, 64), folder=tmp_path / "state")
    notes.save_in_background = True
    calls: list[str] = []
    notes.save_notify = lambda: calls.append("before")
    doc = notes.document(4)
    assert tools.brush(doc, [(10, 10), (20, 12)], 3)
    assert held.wait(10)
    notes.save_notify = None  # let go (`FrameEditing.stop_saves` of a video left to its saves)
    gate.set()
    notes.stop_saves()
    assert calls == [], "the save thread called the notify of the window that let the video go"


def test_a_project_let_go_no_longer_notifies_when_its_held_compaction_ends(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.annotation import close_waits
    from fosp_core.annotation import project_compaction

    folder = tmp_path / "images"
    folder.mkdir()
    cv2.imwrite(str(folder / "img0.png"), np.full((40, 60, 3), 90, np.uint8))
    held, gate = _gate(monkeypatch, project_compaction, "atomic_write")
    calls: list[str] = []
    with Project.open(folder) as project:
        project.compact_in_background = True
        project.compaction_notify = lambda: calls.append("compacted")
        project.save_notify = lambda: calls.append("saved")
        project._start_rewrite()  # project.json rewritten on its thread, held by the disk
        assert held.wait(10)
        close_waits.let_go([project], [project])  # the window's close goes on without it
        gate.set()
        project.finish_compaction(wait=True)
        assert calls == [], "the rewrite's thread called the notify of the window that let the project go"
