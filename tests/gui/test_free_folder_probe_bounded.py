"""A free-name probe stuck on a dead drive held its daemon thread for good, and each opening of the Export
dialog started one more (`app.annotation.free_folder.FreeFolderProbe`): ten openings, ten threads stuck in
one ``stat``. Now one probe runs per parent folder at a time; the asks that come meanwhile wait for it and
are answered once it is done (the newest of each probe), and a folder elsewhere gets its own."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from app.annotation import free_folder
from app.annotation.free_folder import FreeFolderProbe


def _probe_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "free-folder" and t.is_alive()]


def test_one_probe_thread_per_parent_folder(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    dead, elsewhere = tmp_path / "dead", tmp_path / "elsewhere"
    drive = threading.Event()
    asked: list[Path] = []

    def stuck(folder: Path) -> Path:
        asked.append(folder)
        if folder.parent == dead:
            drive.wait(30)  # the dead drive answers when the test says
        return folder.with_name(folder.name + "-2")

    monkeypatch.setattr(free_folder, "free_destination", stuck)
    before = set(_probe_threads())  # other tests' probes, ending or not: not counted
    probes = [FreeFolderProbe() for _ in range(5)]
    found: list[tuple[int, Path, Path]] = []
    for k, probe in enumerate(probes):
        probe.found.connect(lambda a, f, k=k: found.append((k, a, f)))
        probe.start(dead / "demo-smokeseg")  # five dialogs opened while the drive hangs
    probes[4].start(dead / "other-smokeseg")  # the last one asks again: its newest ask counts
    qtbot.waitUntil(lambda: bool(asked))
    assert len(set(_probe_threads()) - before) == 1  # was 6: one a probe, each stuck
    side = FreeFolderProbe()
    with qtbot.waitSignal(side.found, timeout=10_000) as blocker:  # another folder: not held behind the dead one
        side.start(elsewhere / "x")
    assert blocker.args == [elsewhere / "x", elsewhere / "x-2"]
    drive.set()
    qtbot.waitUntil(lambda: len(found) == 5, timeout=10_000)
    assert sorted(found) == [(k, dead / "demo-smokeseg", dead / "demo-smokeseg-2") for k in range(4)] + [
        (4, dead / "other-smokeseg", dead / "other-smokeseg-2")]
    # the first ask's look, then one look at each folder for the asks that waited (three of one folder)
    assert [a.name for a in asked if a.parent == dead] == ["demo-smokeseg", "demo-smokeseg", "other-smokeseg"]
    qtbot.waitUntil(lambda: not set(_probe_threads()) - before, timeout=10_000)  # the thread ends when done
