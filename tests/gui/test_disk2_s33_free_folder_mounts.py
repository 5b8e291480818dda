"""The suggested destination's probe (`app.annotation.free_folder`) queued per parent folder, as the export
destination checks did before 0c9cc091: a destination that is itself a drive (``/media/u/DEAD``, a mount
point) shared the queue of ``/media/u`` with the drive beside it (``/media/u/GOOD``), and the dead drive's
probe, stuck in its ``stat``, held the good one's for good. The probe is now keyed as the checks are
(`app.destination_checks.check_key`: the mount table says which is a mount point, no ``stat``), each folder
still probed once (`test_free_folder_probe_bounded` holds that). The dead drive is simulated: its probe
blocks on an Event released at the end."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.annotation import free_folder
from app.annotation.free_folder import FreeFolderProbe
from fosp_core.io import mount_points


@pytest.fixture()
def drives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path, threading.Event]]:
    media = tmp_path / "media" / "u"
    dead, good = media / "DEAD", media / "GOOD"
    monkeypatch.setattr(mount_points, "mount_points", lambda *_: frozenset({"/", str(dead), str(good)}))
    released = threading.Event()
    yield dead, good, released
    released.set()  # no probe left hanging after the test


def test_a_dead_drive_does_not_hold_the_probe_of_the_good_one_beside_it(  # noqa: ANN001
        qtbot, drives, monkeypatch: pytest.MonkeyPatch) -> None:
    dead, good, released = drives
    stuck = threading.Event()
    asked: list[Path] = []

    def probe(folder: Path) -> Path:
        asked.append(folder)
        if folder == dead:
            stuck.set()
            released.wait(60)  # the drive does not answer
        return folder.with_name(folder.name + "-2")

    monkeypatch.setattr(free_folder, "free_destination", probe)
    on_dead, on_good = FreeFolderProbe(), FreeFolderProbe()
    found: list[tuple[Path, Path]] = []
    on_dead.found.connect(lambda a, f: found.append((a, f)))
    on_good.found.connect(lambda a, f: found.append((a, f)))
    on_dead.start(dead)
    assert stuck.wait(30)
    on_good.start(good)
    qtbot.waitUntil(lambda: (good, good.with_name("GOOD-2")) in found, timeout=10_000)  # not held behind DEAD
    assert (dead, dead.with_name("DEAD-2")) not in found  # still stuck
    released.set()
    qtbot.waitUntil(lambda: (dead, dead.with_name("DEAD-2")) in found, timeout=10_000)
    assert sorted(asked) == [dead, good]  # each folder probed once
