"""Two drives side by side (``/media/u/DEAD`` and ``/media/u/GOOD``, each chosen as an export destination) shared
one destination-check queue, keyed by the parent folder ``/media/u``: the dead drive's check, stuck, held the good
one's for good. The queue is now the destination's own where it is a mount point (the mount table says so, no
``stat``: `app.destination_checks.check_key`). The dead drive is simulated: its check blocks on an Event."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import destination_checks
from app.relay import ValueRelay
from fosp_core.io import mount_points


@pytest.fixture()
def drives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path, threading.Event]]:
    media = tmp_path / "media" / "u"
    dead, good = media / "DEAD", media / "GOOD"
    monkeypatch.setattr(mount_points, "mount_points", lambda *_: frozenset({"/", str(dead), str(good)}))
    released = threading.Event()
    yield dead, good, released
    released.set()  # no check left hanging after the test


def test_a_dead_drive_does_not_hold_the_good_one_beside_it(qtbot, drives) -> None:  # noqa: ANN001
    dead, good, released = drives
    relay, answers = ValueRelay(), []
    relay.done.connect(answers.append)
    stuck = threading.Event()

    def dead_check() -> str:
        stuck.set()
        released.wait(60)  # the drive does not answer
        return "dead"

    destination_checks.ask_check(relay, 1, dead, dead_check, name="s33-dead-check")
    assert stuck.wait(30)
    destination_checks.ask_check(relay, 2, good, lambda: "good", name="s33-good-check")
    qtbot.waitUntil(lambda: (2, "good") in answers, timeout=10000)
    assert (1, "dead") not in answers  # still stuck: the good drive was answered all the same
    released.set()
    qtbot.waitUntil(lambda: (1, "dead") in answers, timeout=10000)


def test_check_keys(drives) -> None:  # noqa: ANN001
    dead, good, _ = drives
    assert destination_checks.check_key(dead) == dead  # a drive of its own
    assert destination_checks.check_key(dead / "out") == dead
    assert destination_checks.check_key(dead / "a" / "b") == dead / "a"
    assert destination_checks.check_key(dead.parent / "plain") == dead.parent
    assert destination_checks.check_key(Path("/")) == Path("/")
