"""What the saving thread (the GUI thread in the app) does when a save makes the journal's
compaction due with `Project.compact_in_background`: no work per entry of the project (counted: the
reads of the entries' fields), the worker thread never reads the live entries (they change under
it), and the ``project.json`` it writes is the one an inline rewrite would write. Counts, not times
(`bench/bench_compaction.py` times it)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from fosp_core.annotation import compaction_rows, tools
from fosp_core.annotation import project as project_module
from fosp_core.annotation.compaction_rows import snapshot
from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ImageEntry, dump_project
from fosp_core.annotation.project import Project
from tests.unit.crash_worker import make_images

LIMIT = 4
MORE = 3000  # entries added to the project: work per entry shows as thousands of reads

_reads = {"main": 0, "other": 0}


class CountedEntry(ImageEntry):
    """An entry that counts the reads of its attributes, by thread (main or not)."""

    __slots__ = ()

    def __getattribute__(self, name: str) -> object:
        _reads["main" if threading.current_thread() is threading.main_thread() else "other"] += 1
        return object.__getattribute__(self, name)


def _reset() -> None:
    _reads.update(main=0, other=0)


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(project_module, "JOURNAL_LIMIT", LIMIT)
    folder = make_images(tmp_path / "images", seed=7, count=3)
    with Project.open(folder) as p:
        p.entries += [ImageEntry(id=f"x{i:05d}", image=f"img/{i:05d}.jpg", label=f"gt/{i:05d}.png",
                                 split="train", size=(48, 64), smoke_ratio=0.01, extra={"k": i})
                      for i in range(MORE)]
        p.write_state()
    with Project.open(folder) as p:  # the project's own index of them
        p.entries[3:] = [CountedEntry(*snapshot([e])[0]) for e in p.entries[3:]]
        p.compact_in_background = True
        yield p


def _inline_bytes(project: Project) -> bytes:
    """What an inline rewrite would write now, with the header the background rewrite wrote."""
    header = json.loads((project.folder / "project.json").read_text())
    header.pop("images")
    return dump_project(header, project.entries)


def test_a_due_save_reads_no_other_entry_and_the_worker_reads_none(project: Project) -> None:
    doc = project.open_document(project.ids[0])
    for i in range(LIMIT):
        tools.brush(doc, [(2 + 3 * i, 4)], 1)
    project.finish_compaction(wait=True)
    _reset()
    tools.brush(doc, [(30, 4)], 1)  # the journal is due: the rewrite starts
    assert project.compacting
    during_save = _reads["main"]
    project.finish_compaction(wait=True)
    assert project.compaction_error is None
    assert during_save == 0, f"the due save read the other entries' fields {during_save} times"
    assert _reads["other"] == 0  # the worker wrote from values captured on the saving thread
    assert (project.folder / "project.json").read_bytes() == _inline_bytes(project)


def test_a_background_rewrite_writes_what_an_inline_one_would(project: Project) -> None:
    """Every way an entry changes is in it: a mask save, a status, a prediction, a size learnt when
    a document is opened, an entry added to the list behind the project's back."""
    doc = project.open_document(project.ids[1])
    tools.brush(doc, [(5, 5)], 2)
    project.set_status(project.ids[2], Status.REVIEWED)
    entry = project.entry(project.ids[0])
    entry.size = None  # as in a project made before sizes were stored: opening the document learns it
    project.open_document(project.ids[0], autosave=False)
    assert entry.size is not None
    project.entries.append(ImageEntry(id="late", image="img/late.jpg"))
    for i in range(LIMIT + 1):
        tools.brush(doc, [(2 + 3 * i, 9)], 1)
        if project.compacting:  # this save was due: the rewrite holds the entries as they are now
            break
    assert project.finish_compaction(wait=True) and project.compaction_error is None
    assert (project.folder / "project.json").read_bytes() == _inline_bytes(project)


def test_a_second_rewrite_encodes_only_the_entries_changed_since_the_first(project: Project, monkeypatch) -> None:
    encoded: list[str] = []
    real = compaction_rows.entry_json

    def counted(entry: ImageEntry) -> str:
        encoded.append(entry.id)
        return real(entry)

    monkeypatch.setattr(compaction_rows, "entry_json", counted)
    doc = project.open_document(project.ids[0])
    for i in range(LIMIT + 1):
        tools.brush(doc, [(2 + 3 * i, 4)], 1)
    assert project.finish_compaction(wait=True)
    assert len(encoded) == len(project.entries)  # the first: all of them, on the worker thread
    encoded.clear()
    project.set_status("x00010", Status.REVIEWED)
    for i in range(LIMIT):
        tools.brush(doc, [(2 + 3 * i, 20)], 1)
    assert project.finish_compaction(wait=True) and project.compaction_error is None
    assert sorted(encoded) == sorted([doc.image_id, "x00010"])
    assert (project.folder / "project.json").read_bytes() == _inline_bytes(project)


def test_the_worker_lets_the_saving_thread_in_between_chunks(project: Project, monkeypatch) -> None:
    """The rewrite's thread pauses (gives up the GIL) after each chunk of rows it encodes and of
    lines it joins; the saving thread never pauses for it."""
    monkeypatch.setattr(compaction_rows, "CHUNK", 100)
    paused: list[str] = []
    monkeypatch.setattr(compaction_rows, "pause", lambda: paused.append(threading.current_thread().name))
    doc = project.open_document(project.ids[0])
    for i in range(LIMIT + 1):
        tools.brush(doc, [(2 + 3 * i, 4)], 1)
    assert project.finish_compaction(wait=True) and project.compaction_error is None
    chunks = -(-len(project.entries) // 100)
    assert paused == ["fosp-project-rewrite"] * (2 * chunks)  # encoding, then joining
