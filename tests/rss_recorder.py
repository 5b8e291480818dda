"""Which tests hold the test process's memory: an opt-in pytest plugin (``FOSP_TEST_RSS=path``).

``tests/conftest.py`` registers :class:`RssRecorder` when ``FOSP_TEST_RSS`` names a file; after each
test (its teardown done) one JSON line is appended there::

    {"test": nodeid, "rss_mb": ..., "peak_mb": ..., "held_mb": ..., "heap_used_mb": ...,
     "heap_free_mb": ..., "qt_widgets": ..., "tensors": ..., "arrays_mb": ...}

- ``rss_mb``: resident set size after the test (``/proc/self/statm``);
- ``peak_mb``: the highest RSS during this test alone: the kernel's high-water mark (``VmHWM``) is
  reset before each test by writing ``5`` to ``/proc/self/clear_refs``;
- ``held_mb``: what the test left: ``rss_mb`` minus the RSS before the test;
- ``heap_used_mb`` / ``heap_free_mb``: glibc's ``mallinfo2`` (bytes malloc hands out / bytes it keeps
  free but does not give back): a large free heap means RSS is fragmentation, not live objects;
- ``qt_widgets`` (if Qt is loaded), ``tensors``, ``fosp_modules`` and ``arrays_mb`` (live torch tensors, fosp model
  modules, and the bytes of numpy arrays the collector tracks or holds in untracked containers, frozen
  ones included) only with
  ``FOSP_TEST_RSS_DETAIL=1``: a walk of every object, about 0.1-0.5 s a test.

``python -m tests.rss_report path`` prints the tests with the largest peaks and holds and each file's
total. Run it over one directory or ``-k`` slice at a time, in one process (``-p no:xdist``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import json
import os
import sys
from collections.abc import Generator
from pathlib import Path

import pytest

__all__ = ["RssRecorder", "heap_mb", "malloc_trim", "peak_rss_mb", "reset_peak", "rss_mb"]

_PAGE = os.sysconf("SC_PAGE_SIZE")
_MB = 1024 * 1024


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
        "keepcost")]


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name) if name else None
    except OSError:
        return None


_LIBC = _libc()


def rss_mb() -> float:
    """The resident set size of this process now, in MiB (0 where ``/proc`` is absent)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * _PAGE / _MB
    except OSError:
        return 0.0


def peak_rss_mb() -> float:
    """The kernel's high-water mark of RSS (``VmHWM``) since the process started or :func:`reset_peak`."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def reset_peak() -> None:
    """Reset ``VmHWM`` to the current RSS (Linux 4.0+; silently nothing elsewhere)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
    except OSError:
        pass


def heap_mb() -> tuple[float, float]:
    """glibc's heap: (bytes in use, bytes free but kept), in MiB; (0, 0) without glibc's mallinfo2."""
    fn = getattr(_LIBC, "mallinfo2", None)
    if fn is None:
        return 0.0, 0.0
    fn.restype = _MallInfo2
    info = fn()
    return (info.uordblks + info.hblkhd) / _MB, info.fordblks / _MB


def malloc_trim() -> bool:
    """Give glibc's free heap pages back to the system (``malloc_trim(0)``); False without glibc."""
    fn = getattr(_LIBC, "malloc_trim", None)
    if fn is None:
        return False
    return bool(fn(0))


def _detail() -> dict[str, float | int]:
    """Live Qt widgets, torch tensors and numpy bytes (a walk of every object the collector tracks)."""
    out: dict[str, float | int] = {}
    widgets = sys.modules.get("PySide6.QtWidgets")
    if widgets is not None and widgets.QApplication.instance() is not None:
        out["qt_widgets"] = len(widgets.QApplication.allWidgets())
    torch = sys.modules.get("torch")
    numpy = sys.modules.get("numpy")
    tensors, models, arrays = 0, 0, {}
    frozen = gc.get_freeze_count()
    gc.unfreeze()  # the GUI tests freeze what survives each test: walk that too, then freeze it again
    for obj in gc.get_objects():
        if torch is not None and isinstance(obj, torch.Tensor):
            tensors += 1
        if torch is not None and isinstance(obj, torch.nn.Module) and type(obj).__module__.startswith("fosp"):
            models += 1
        for ref in gc.get_referents(obj) if numpy is not None else ():
            if isinstance(ref, numpy.ndarray):
                base = ref
                while isinstance(base.base, numpy.ndarray):
                    base = base.base
                arrays[id(base)] = base.nbytes
    if frozen:
        gc.freeze()
    out["tensors"] = tensors
    out["fosp_modules"] = models
    out["arrays_mb"] = round(sum(arrays.values()) / _MB, 1)
    return out


class RssRecorder:
    """Appends one JSON line per test to `path`: RSS after it, its own peak, what it held (see module)."""

    def __init__(self, path: Path, detail: bool = False) -> None:
        self.path = Path(path)
        self.detail = detail
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = self.path.open("a", encoding="utf-8")

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, object, object]:
        """Measure around setup, call and teardown of `item` (pytest-qt's windows closed by then)."""
        before = rss_mb()
        reset_peak()
        result = yield
        used, free = heap_mb()
        row: dict[str, object] = {
            "test": item.nodeid, "rss_mb": round(rss_mb(), 1), "peak_mb": round(peak_rss_mb(), 1),
            "held_mb": round(rss_mb() - before, 1), "heap_used_mb": round(used, 1),
            "heap_free_mb": round(free, 1)}
        if self.detail:
            row.update(_detail())
        self._file.write(json.dumps(row) + "\n")
        self._file.flush()
        return result

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        """Close the record file."""
        self._file.close()
