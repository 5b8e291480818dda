"""Mask saves off the saving thread (`Project.save_in_background`, `fosp_core.annotation.mask_saves`):
the PNG is written by the project's worker, the commit made durable at once in the image's recovery
log; saves are ordered and coalesced, a failure comes back as ``save_failed``, closing flushes, and a
process killed right after a commit (its PNG not written) loses nothing: opening applies the log."""

from __future__ import annotations

import errno
import signal
import threading
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation import mask_saves, tools
from fosp_core.annotation.project import Project
from fosp_core.annotation.recovery import apply_records, log_path, read_log
from tests.unit.crash_worker import disk_state, make_images, mask_hash, stray_files
from tests.unit.killed_commit import killed_commit


@pytest.fixture()
def project(tmp_path: Path):
    folder = make_images(tmp_path / "images", seed=3, count=3)
    with Project.open(folder) as p:
        p.save_in_background = True
        yield p


@pytest.fixture()
def gate(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Hold every background PNG encode until the event is set (the worker blocks inside a save)."""
    release, real = threading.Event(), mask_saves.encode_mask_png

    def held(mask: np.ndarray, compress_level: int = 6) -> bytes:
        assert release.wait(30)
        return real(mask, compress_level)

    monkeypatch.setattr(mask_saves, "encode_mask_png", held)
    return release


def _journal_ids(project: Project) -> list[str]:
    path = project.folder / "changes.jsonl"
    lines = path.read_text().splitlines() if path.exists() else []
    import json

    return [json.loads(line)["entry"]["id"] for line in lines if line.strip()]


def test_the_png_is_written_on_the_worker_and_the_commit_is_saved_at_once(project: Project, gate: threading.Event) -> None:
    doc = project.open_document(project.ids[0])
    tools.brush(doc, [(5.0, 5.0), (20.0, 20.0)], 4)
    path = project.mask_path(doc.image_id)
    assert project.is_saved(doc)  # durable: its record is in the log
    assert log_path(path).is_file() and not path.exists()
    mask, _ = apply_records(None, read_log(log_path(path)))
    assert mask_hash(mask) == mask_hash(doc.mask)
    gate.set()
    project.finish_saves(wait=True)
    assert not log_path(path).exists()
    assert project._saver is not None and project._saver.written_by == [(doc.image_id, "fosp-mask-saves")]
    assert mask_hash(project.load_mask(doc.image_id)) == mask_hash(doc.mask)
    assert _journal_ids(project) == [doc.image_id]


def test_saves_are_ordered_and_coalesced(project: Project, gate: threading.Event) -> None:
    a, b = project.open_document(project.ids[0]), project.open_document(project.ids[1])
    events: list[tuple] = []
    project.events.connect(events.append)
    tools.brush(a, [(3.0, 3.0)], 3)  # taken by the worker, held there
    saver = project._saver
    assert saver is not None
    while not saver.busy() or saver._running is None:
        pass
    for x in (10.0, 15.0, 20.0):  # each replaces the one waiting
        tools.brush(a, [(x, 10.0)], 3)
    tools.brush(b, [(8.0, 8.0)], 3)
    assert list(saver._waiting) == [a.image_id, b.image_id]
    gate.set()
    project.finish_saves(wait=True)
    assert [image for image, _ in saver.written_by] == [a.image_id, a.image_id, b.image_id]
    # the first save of a finished older than a's newest: no journal line of its own
    assert _journal_ids(project) == [a.image_id, b.image_id]
    assert [e for e in events if e[0] == "saved"] == [("saved", a.image_id, None), ("saved", b.image_id, None)]
    for doc in (a, b):
        assert mask_hash(project.load_mask(doc.image_id)) == mask_hash(doc.mask)
        assert project.is_saved(doc) and not log_path(project.mask_path(doc.image_id)).exists()
    assert disk_state(project.folder)[a.image_id][0] == mask_hash(a.mask)


def test_a_failed_png_write_is_told_and_the_log_keeps_the_edit(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    real = mask_saves.atomic_write

    def full(path: Path, data: bytes, **kwargs: object) -> None:
        raise mask_saves.StorageError(path, "cannot write: disk full", errno.ENOSPC)

    monkeypatch.setattr(mask_saves, "atomic_write", full)
    doc = project.open_document(project.ids[0])
    events: list[tuple] = []
    project.events.connect(events.append)
    tools.brush(doc, [(5.0, 5.0), (30.0, 9.0)], 4)
    project.finish_saves(wait=True)
    assert [e[:2] for e in events] == [("save_failed", doc.image_id)]
    assert "disk full" in str(events[0][2]) and project.last_error is events[0][2]
    assert not project.is_saved(doc)
    assert log_path(project.mask_path(doc.image_id)).is_file()
    assert disk_state(project.folder)[doc.image_id][0] == mask_hash(doc.mask)  # what opening would find
    monkeypatch.setattr(mask_saves, "atomic_write", real)
    project.save_document(doc)  # room again: the retry the app makes
    assert project.is_saved(doc) and not log_path(project.mask_path(doc.image_id)).exists()
    assert mask_hash(project.load_mask(doc.image_id)) == mask_hash(doc.mask)


def test_closing_flushes(tmp_path: Path, gate: threading.Event) -> None:
    folder = make_images(tmp_path / "images", seed=4, count=2)
    project = Project.open(folder)
    project.save_in_background = True
    doc = project.open_document(project.ids[1])
    tools.brush(doc, [(5.0, 5.0), (25.0, 25.0)], 5)
    doc.set_status("reviewed")  # a status while the mask save is pending: logged too
    threading.Timer(0.05, gate.set).start()
    project.close()
    assert not stray_files(project.folder)
    with Project.open(folder) as again:
        assert again.recovered == []
        assert mask_hash(again.load_mask(doc.image_id)) == mask_hash(doc.mask)
        assert again.entry(doc.image_id).status.value == "reviewed"


_KILLED = """
import os, signal, sys, threading
import numpy as np
from fosp_core.annotation import mask_saves, tools
from fosp_core.annotation.project import Project
mask_saves.encode_mask_png = lambda *a, **k: threading.Event().wait()  # the PNG never gets written
project = Project.open(sys.argv[1])
project.save_in_background = True
doc = project.open_document(project.ids[0])
tools.brush(doc, [(40.0, 40.0), (900.0, 700.0)], 30)
tools.erase(doc, [(60.0, 60.0), (200.0, 90.0)], 12)
doc.set_status("reviewed")
np.save(sys.argv[2], doc.mask)
print(doc.status.value, flush=True)
os.kill(os.getpid(), signal.SIGKILL)  # right after the release: nothing but the log on disk
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
@pytest.mark.parametrize("shape", [(64, 80), (3000, 4000)], ids=["small", "12MP"])
def test_a_kill_right_after_a_commit_loses_nothing(tmp_path: Path, shape: tuple[int, int]) -> None:
    folder, want = killed_commit(tmp_path, _KILLED, shape)
    project_dir = folder / ".fosp"
    with Project.open(folder) as project:
        assert not project.read_only
        assert project.recovered == ["frame"]
        assert mask_hash(project.load_mask("frame")) == mask_hash(want)
        assert project.entry("frame").status.value == "reviewed"
        assert not stray_files(project_dir)
    assert disk_state(project_dir)["frame"][:2] == (mask_hash(want), "reviewed")
