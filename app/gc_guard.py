"""Python's cyclic garbage collection on the GUI thread only, from a timer, never inside Qt.

Why. CPython starts a cyclic collection at whatever allocation pushes the youngest generation's
count over its threshold: on any thread (the loader, inference, listing and export workers
allocate too) and at any point of the GUI thread, including while Qt is inside one of its own
functions holding a lock. A collection destroys the Qt objects its cycles held, there and then.
The test run hung that way once (``.ci/run``, 2026-12-06, all threads idle); on the GUI thread
(as the hang showed it; no trace was kept)::

    MainWindow(...)                                   building the next test's window
      pyqtgraph GraphicsItem._updateView               an item moved to a new ViewBox
        SignalInstance.disconnect(viewRangeChanged)
          QObject::disconnect                          holds the senders' connection lock
            (an allocation: a collection starts)
              cycle of a closed window collected -> QMenu deleted
                QAction::~QAction -> QObject::disconnect   waits on the same lock: deadlock

A collection on a worker thread is no better: it deletes GUI objects off their thread.

The remedy (pyqtgraph's ``util/garbage_collector.py``, after Erik Janssens): turn the automatic
collection off and collect from a QTimer on the GUI thread, where the event loop holds no Qt lock,
with CPython's own rule for which generation is due (the counts against the thresholds), so the
work done is the same as before, only moved to a safe point.

How often, and at what cost (``bench/bench_gc.py``, 2-core machine shared with other jobs, two
runs at load 6.6 and 5.4). A full collection walks every tracked object: 239 600 right after the
imports (torch, numpy, Qt, pyqtgraph), 248 100 with a window on the demo, the model loaded and
run; that walk took 435 / 121 ms (max 601 / 184). Those import-time objects live as long as the
process, so the guard collects once and freezes them at start (``gc.freeze``, undone at quit): a
full collection then walks the 8 900 objects the session made, 6.4 / 1.1 ms (max 13 / 1.5);
generation 1 with 7 000 young objects 0.1-0.2 ms, generation 0 with 700 under 0.05 ms.
The timer asks for the generation CPython would collect (its counts against its thresholds,
700 / 10 / 10): a tick that finds nothing due costs one ``gc.get_count()``; a full collection
comes after 11 generation-1 collections, each after 11 young ones, and only once the old
generation grew by a quarter, so at most every ~2 minutes of busy ticks. ``INTERVAL_MS`` is 1 s,
as pyqtgraph's: a shorter one would only add idle ticks (the app makes little cyclic garbage: with
automatic collection, 0 or 1 young collection in each 8-18 s run of the model over the demo
photos while the view switched photos every 0.2 s), and cyclic garbage waits at most a second
longer than it would have; a longer one lets the young generation grow between ticks.

Who owns the switch. :func:`install_gc_guard` (called by ``app.main.create_app``) takes over only
if automatic collection is on: a host program (or a test fixture) that turned it off keeps it off
and the guard stays idle (and freezes nothing). The guard gives it back (``gc.enable()``, and
``gc.unfreeze()``) when the application is about to quit, or is destroyed without quitting (an
embedder that never calls ``exec()``: ``shutdown()``), gives back the switch alone when
:meth:`GarbageCollectionGuard.stop` is called, and steps aside by itself at its next tick if
someone else turns automatic collection back on meanwhile.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

__all__ = ["INTERVAL_MS", "GarbageCollectionGuard", "install_gc_guard"]

INTERVAL_MS = 1000  # see "How often, and at what cost" above


class GarbageCollectionGuard(QObject):
    """Collects Python's cyclic garbage from a timer on the thread it lives on (the GUI thread)
    while automatic collection is off. Idle until :meth:`start`; ``collections[g]`` counts the
    collections it ran up to generation g."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.setObjectName("gc-guard")
        self.collections = [0, 0, 0]
        self._old_size = len(gc.get_objects(generation=2))  # after the last full collection
        self._frozen = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_if_due)

    @property
    def active(self) -> bool:
        """True while the guard, not CPython's allocator, decides when to collect."""
        return self._timer.isActive()

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    def set_interval(self, interval_ms: int) -> None:
        self._timer.setInterval(interval_ms)

    def start(self) -> bool:
        """Turn automatic collection off and collect from the timer instead. Does nothing and
        returns False if automatic collection is already off (someone else owns the switch)."""
        if self.active:
            return True
        if not gc.isenabled():
            return False
        gc.disable()
        self._timer.start()
        return True

    def stop(self) -> None:
        """Stop the timer and turn automatic collection back on (only if the guard had it off)."""
        if self.active:
            self._timer.stop()
            gc.enable()

    def freeze_heap(self) -> None:
        """Collect everything, then take what survives out of every later collection's walk
        (``gc.freeze``) until the application quits: at start that is what the imports made
        (modules, functions, classes: torch, numpy, Qt, pyqtgraph), which lives as long as the
        process, and a full collection then walks only what the session made since."""
        gc.collect()
        gc.freeze()
        self._old_size = len(gc.get_objects(generation=2))
        self._frozen = True

    def quit(self) -> None:
        """:meth:`stop`, and what :meth:`freeze_heap` froze is collectable again."""
        self.stop()
        if self._frozen:
            gc.unfreeze()
            self._frozen = False

    def due_generation(self) -> int | None:
        """The generation CPython would collect now, or None when nothing is due: when the young
        count is over its threshold, the oldest generation whose count is over its threshold, and
        the oldest (a full collection) only once the old generation has grown by a quarter since
        the last one (CPython's rule, on the old generation's size: its own counter is not exposed)."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        if thresholds[0] == 0 or counts[0] <= thresholds[0]:
            return None  # threshold 0 means "never", as for the automatic collection
        generation = max(g for g in range(3) if counts[g] > thresholds[g])
        if generation == 2 and len(gc.get_objects(generation=2)) - self._old_size <= self._old_size // 4:
            generation = 1
        return generation

    def collect_if_due(self) -> None:
        """One tick: collect the generation that is due, if any."""
        if gc.isenabled():  # someone turned automatic collection back on: theirs again
            self._timer.stop()
            return
        generation = self.due_generation()
        if generation is not None:
            gc.collect(generation)
            self.collections[generation] += 1
            if generation == 2:
                self._old_size = len(gc.get_objects(generation=2))


def install_gc_guard(app: QCoreApplication, interval_ms: int = INTERVAL_MS) -> GarbageCollectionGuard:
    """The application's guard (made on the first call, a child of `app`), started; on the first
    call that starts it, the heap made so far is collected and frozen (its ``freeze_heap``). When
    `app` is about to quit, or is destroyed without quitting, the guard stops and unfreezes:
    automatic collection is as it was before, after the event loop. Call it on the GUI thread."""
    guard = app.findChild(GarbageCollectionGuard, "gc-guard")
    if guard is None:
        guard = GarbageCollectionGuard(app, interval_ms)
        app.aboutToQuit.connect(guard.quit)
        # an embedder that never runs exec() gets no aboutToQuit: give back at the application's
        # end too (emitted before its children, the guard among them, are deleted)
        app.destroyed.connect(guard.quit)
        if guard.start():
            guard.freeze_heap()
    guard.start()
    return guard
