"""app.gc_guard: with automatic cyclic collection off, the app's garbage is still collected, by a
timer on the GUI thread (never on a worker, never inside a Qt call), and automatic collection comes
back when the application quits."""

from __future__ import annotations

import gc
import subprocess
import sys
import threading
import weakref
from collections.abc import Callable, Iterator

import pytest

import app.main as app_main
from app.gc_guard import INTERVAL_MS, GarbageCollectionGuard, install_gc_guard

CYCLES = 1000  # more than the young generation's threshold (700): a collection is due


class Node:
    """Half of a reference cycle: refcounting alone never frees it."""

    other: Node | None = None


def make_cycles(on_collected: Callable[[], None], n: int = CYCLES) -> None:
    """`n` unreachable two-node cycles, each calling `on_collected` where it is collected."""
    for _ in range(n):
        a, b = Node(), Node()
        a.other, b.other = b, a
        weakref.finalize(a, on_collected)


@pytest.fixture
def guard(qapp) -> Iterator[GarbageCollectionGuard]:  # noqa: ANN001
    """The application's guard (started by the GUI tests' fixture, as create_app starts it), ticking
    every 10 ms for the test instead of every second."""
    guard = install_gc_guard(qapp)
    assert guard.active and not gc.isenabled()
    guard.set_interval(10)
    try:
        yield guard
    finally:
        guard.set_interval(INTERVAL_MS)


def test_cyclic_garbage_is_collected_while_the_event_loop_runs(qtbot, guard: GarbageCollectionGuard) -> None:
    collected: list[int] = []
    young_collections = guard.collections[0] + guard.collections[1] + guard.collections[2]
    make_cycles(lambda: collected.append(1))
    assert not collected  # automatic collection is off: making them collected none
    qtbot.waitUntil(lambda: len(collected) == CYCLES, timeout=5000)  # no gc.collect() here
    assert sum(guard.collections) > young_collections
    assert gc.get_count()[0] < CYCLES  # the young generation was emptied, not left to grow


def test_garbage_made_on_a_worker_thread_is_collected_on_the_gui_thread(
        qtbot, guard: GarbageCollectionGuard) -> None:
    threads: list[threading.Thread] = []
    worker = threading.Thread(target=make_cycles, args=(lambda: threads.append(threading.current_thread()),),
                              name="worker")
    worker.start()
    worker.join()
    assert not threads  # with automatic collection, collections started on the worker while it made them
    qtbot.waitUntil(lambda: len(threads) == CYCLES, timeout=5000)
    assert set(threads) == {threading.main_thread()}


def test_a_full_collection_waits_until_the_old_generation_grew_by_a_quarter(
        guard: GarbageCollectionGuard) -> None:
    """CPython's rule: a full collection walks the whole heap, so it runs only once a quarter of
    what it would walk is new since the last one; until then the guard collects generation 1."""
    for _ in range(gc.get_threshold()[2] + 1):
        gc.collect(1)  # generation 2's count over its threshold
    fresh = GarbageCollectionGuard()  # the old generation as it is now
    young = [[] for _ in range(CYCLES)]  # noqa: F841 - the young count over its threshold
    assert fresh.due_generation() == 1
    survivors = [[] for _ in range(fresh._old_size // 4 + CYCLES)]  # noqa: F841
    gc.collect(1)  # ... moved into the old generation
    more_young = [[] for _ in range(CYCLES)]  # noqa: F841
    assert fresh.due_generation() == 2


def test_the_guard_leaves_collection_off_if_someone_else_turned_it_off(qapp) -> None:  # noqa: ANN001
    guard = GarbageCollectionGuard()  # another one than the application's
    try:
        install_gc_guard(qapp).stop()
        gc.disable()  # a host program's choice
        assert not guard.start()
        assert not guard.active and not gc.isenabled()
        guard.stop()
        assert not gc.isenabled()  # still theirs
        gc.enable()  # a host that turns collection on again while the guard runs gets it back
        assert guard.start() and not gc.isenabled()
        gc.enable()
        guard.collect_if_due()
        assert not guard.active and gc.isenabled()
    finally:
        install_gc_guard(qapp)


def test_create_app_installs_the_guard(qapp, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(app_main, "apply_dark_theme", lambda app: None)  # the other tests keep their style
    names = (qapp.organizationName(), qapp.applicationName(), qapp.applicationVersion(),
             qapp.desktopFileName())
    icon = qapp.windowIcon()
    install_gc_guard(qapp).stop()
    assert gc.isenabled()
    try:
        assert app_main.create_app() is qapp
        assert not gc.isenabled()
        assert install_gc_guard(qapp).active
    finally:
        qapp.setOrganizationName(names[0])
        qapp.setApplicationName(names[1])
        qapp.setApplicationVersion(names[2])
        qapp.setDesktopFileName(names[3])
        qapp.setWindowIcon(icon)


QUIT = """
import gc
from PySide6.QtCore import QCoreApplication, QTimer
from app.gc_guard import install_gc_guard
app = QCoreApplication([])
install_gc_guard(app)
assert not gc.isenabled() and gc.get_freeze_count() > 0
QTimer.singleShot(0, app.quit)
app.exec()
print("enabled" if gc.isenabled() else "disabled", gc.get_freeze_count())
"""


def test_automatic_collection_is_back_on_after_the_application_quits() -> None:
    """(In its own process: quitting the tests' application would end pyqtgraph there.)"""
    out = subprocess.run([sys.executable, "-c", QUIT], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.split() == ["enabled", "0"], out.stderr  # on, and nothing left frozen


DESTROYED = """
import gc
from PySide6.QtCore import QCoreApplication
from app.gc_guard import install_gc_guard
app = QCoreApplication([])
install_gc_guard(app)
assert not gc.isenabled() and gc.get_freeze_count() > 0
app.shutdown()  # an embedder that never calls exec(): no aboutToQuit, the application destroyed
print("enabled" if gc.isenabled() else "disabled", gc.get_freeze_count())
"""


def test_automatic_collection_is_back_on_when_the_application_is_destroyed_without_quitting() -> None:
    out = subprocess.run([sys.executable, "-c", DESTROYED], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.split() == ["enabled", "0"], out.stderr  # on, and nothing left frozen
