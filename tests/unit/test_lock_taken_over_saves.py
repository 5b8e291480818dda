"""A project whose lock another program took over (Take Over… on another computer, `fosp project
take-over`) while this one still had it open: a commit's save that runs after that writes nothing
into the project's files (the other holder's masks and journal stay as they are), is told as a
failed save naming the new holder, and the committed edit is not lost: its mask is kept beside
the project (``rescued/``), the project turns read-only (Take Over… is offered)."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation import tools
from fosp_core.annotation.project import Project
from fosp_core.annotation.storage import atomic_write
from fosp_core.io.masks import read_mask
from tests.unit.crash_worker import make_images


def _take_over(project: Project) -> None:
    """Another computer's FoSp Studio takes the lock (as ``break_lock`` writes it)."""
    atomic_write(project.folder / "lock", json.dumps({"pid": 4242, "host": socket.gethostname() + "-other",
                                                      "created": 1.0, "user": "them"}).encode())


def _files(project: Project) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(project.folder.rglob("*"))
            if p.is_file() and p.name != "lock" and "rescued" not in p.parts}


@pytest.mark.parametrize("background", [True, False])
def test_a_save_after_the_lock_was_taken_over_writes_nothing_and_keeps_the_edit(tmp_path: Path,
                                                                                 background: bool) -> None:
    folder = make_images(tmp_path / "images", seed=6, count=2)
    project = Project.open(folder)
    try:
        project.save_in_background = background
        events: list[tuple] = []
        project.events.connect(events.append)
        doc = project.open_document(project.ids[0])
        tools.brush(doc, [(5.0, 5.0), (20.0, 20.0)], 4)
        project.finish_saves(wait=True)
        assert project.is_saved(doc)
        _take_over(project)
        before = _files(project)
        tools.brush(doc, [(30.0, 30.0), (50.0, 45.0)], 5)  # committed after the take-over
        project.finish_saves(wait=True)
        assert _files(project) == before, "the other holder's files were written"
        assert [e[0] for e in events[-2:]] == ["save_failed", "taken_over"] and not project.is_saved(doc)
        assert events[-1][1:] == events[-2][1:]  # the failure that found it out
        assert "taken over" in str(project.last_error) and "4242" in str(project.last_error)
        rescued = sorted((project.folder / "rescued").rglob("*.png"))
        assert rescued and rescued[-1].name.startswith(doc.image_id)
        assert np.array_equal(read_mask(rescued[-1]), doc.mask)
        assert str(rescued[-1].parent) in str(project.last_error)  # the user is told where it is
        assert project.read_only and project.locked_by is not None and project.locked_by.pid == 4242
        told = len(events)
        tools.brush(doc, [(8.0, 40.0), (16.0, 44.0)], 3)  # a script's next commit: told failed, not turned again
        project.finish_saves(wait=True)
        assert [e[0] for e in events[told:]] == ["save_failed"] and _files(project) == before
    finally:
        project.close()
    assert json.loads((folder / ".fosp" / "lock").read_text())["pid"] == 4242  # their lock stays


def test_a_save_queued_before_the_take_over_and_run_after_it_writes_no_png(tmp_path: Path,
                                                                           held) -> None:
    folder = make_images(tmp_path / "images", seed=6, count=2)
    project = Project.open(folder)
    try:
        project.save_in_background = True
        events: list[tuple] = []
        project.events.connect(events.append)
        doc = project.open_document(project.ids[0])
        tools.brush(doc, [(5.0, 5.0), (20.0, 20.0)], 4)  # its PNG held on the save thread
        _take_over(project)
        before = {k: v for k, v in _files(project).items() if not k.endswith(".recovery")}
        held.set()
        project.finish_saves(wait=True)
        after = {k: v for k, v in _files(project).items() if not k.endswith(".recovery")}
        assert after == before and [e[0] for e in events] == ["save_failed", "taken_over"]
        assert "taken over" in str(project.last_error)
        rescued = sorted((project.folder / "rescued").rglob("*.png"))
        assert rescued and np.array_equal(read_mask(rescued[-1]), doc.mask)
    finally:
        project.close()
