"""Shared test configuration: offscreen Qt, paths to bundled and shared data."""

from __future__ import annotations

import faulthandler
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.gui.modal_guard import ModalDialogGuard

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
DEMO_DIR = ROOT / "resources" / "demo"
SHARED_DATA = Path(os.environ.get("FOSP_SHARED_DATA", ROOT.parent / "shared" / "data"))
LEAN_CHILD = ("-p", "no:hypothesispytest", "-p", "no:benchmark", "-p", "no:anyio")
"""Arguments for a child pytest (`pytester.runpytest_subprocess`) of the suite's own machinery: the
plugins that it does not use left out (their import was ~1.3 of the ~1.8 CPU seconds of its start)."""


_STDERR: list[int] = []  # a copy of the real stderr's descriptor (fd 2 is the capture's file during a test)


def pytest_configure(config: pytest.Config) -> None:
    """`FOSP_TEST_RSS=path`: record each test's memory there (`tests/rss_recorder.py`, docs/testing.md).
    Keeps the real stderr (capture is suspended here) for `pytest_timeout_set_timer`'s stacks. The run's
    first process (xdist's controller, or a plain run; not a worker) compiles the tree's bytecode once for
    the workers and the child processes (`tests/bytecode_cache.py`). Every process of the run (a worker,
    the controller) fsyncs without the drive's flush (`tests/fsync_without_flush.py`, before collection: a
    test module's own reference to `os.fsync` is that one too)."""
    from tests.fsync_without_flush import install

    install()
    if not hasattr(config, "workerinput"):
        from tests.bytecode_cache import compile_once

        compile_once(config, ROOT)
    if not _STDERR:
        _STDERR.append(os.dup(2))
    path = os.environ.get("FOSP_TEST_RSS")
    if path:
        from tests.rss_recorder import RssRecorder

        worker = os.environ.get("PYTEST_XDIST_WORKER")
        target = Path(path).with_suffix(f".{worker}{Path(path).suffix}") if worker else Path(path)
        config.pluginmanager.register(RssRecorder(target, detail=os.environ.get("FOSP_TEST_RSS_DETAIL") == "1"),
                                      "fosp-rss-recorder")


@pytest.hookimpl(tryfirst=True, optionalhook=True)  # optional: a run without pytest-timeout has no limit
def pytest_timeout_set_timer(item: pytest.Item, settings: object) -> bool | None:
    """pytest-timeout's limit on one test (`timeout` in pyproject.toml: setup, call and teardown) ends a
    test that hangs (a Qt dialog or event loop that never returns, a deadlock) with every thread's stack
    on the real stderr, then ends its process (under xdist: that test fails as "worker crashed", the
    run goes on in a new worker). `faulthandler`'s watchdog does it, not pytest-timeout's own thread:
    it needs no GIL (the gc-in-Qt-disconnect deadlock of `tests/gui/conftest.py` holds it), its stacks
    reach the terminal from an xdist worker (pytest-timeout's are lost there), and it adds no Python
    thread that the tests counting threads would see. Left to pytest-timeout under a debugger
    (--pdb, --trace), another method than "thread", or pytest's own faulthandler_timeout."""
    config = item.config
    if getattr(settings, "method", None) != "thread" or not _STDERR or config.getoption("usepdb", False) \
            or config.getoption("trace", False) or float(config.getini("faulthandler_timeout") or 0) > 0:
        return None
    faulthandler.dump_traceback_later(float(settings.timeout), exit=True, file=_STDERR[0])  # type: ignore[attr-defined]
    return True


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_timeout_cancel_timer(item: pytest.Item) -> bool | None:
    """The test ended in time: the watchdog of `pytest_timeout_set_timer` stands down (a no-op when unset)."""
    faulthandler.cancel_dump_traceback_later()
    return None  # pytest-timeout's own cancel runs too (for a timer it set itself)


_MODAL_GUARDS: list[ModalDialogGuard] = []  # the run's one guard, made at the first test that uses pytest-qt


@pytest.fixture(autouse=True)
def _modal_dialogs_answered(request: pytest.FixtureRequest) -> ModalDialogGuard | None:
    """A test that uses pytest-qt (`qapp`, `qtbot`: tests/gui and the e2e tests that start the GUI in-process)
    is watched by `tests.gui.modal_guard`: a modal dialog that it does not answer itself (under offscreen Qt
    nobody can) is answered with its safest button (Cancel, never Discard), and the test fails with the
    dialog's text (`pytest_runtest_makereport`) instead of hanging the run. The guard's timer runs on from
    the first such test to the end, so it also answers a dialog that the closing of the windows opens at
    teardown (a window with edits not saved asks Retry / Discard / Cancel), and that window is then closed
    for real (`pytest_runtest_teardown`). Other tests (tests/unit) make no QApplication for it."""
    if "qapp" not in request.fixturenames:
        return None
    request.getfixturevalue("qapp")
    if not _MODAL_GUARDS:
        from tests.gui.modal_guard import ModalDialogGuard

        _MODAL_GUARDS.append(ModalDialogGuard())
    _MODAL_GUARDS[0].start()
    return _MODAL_GUARDS[0]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, None, None]:
    """Before pytest-qt's own closing of the test's widgets (its hook runs last): the guard's
    (`tests.gui.modal_guard.close_widgets`), which closes for real a window whose close it cancelled."""
    if _MODAL_GUARDS and getattr(item, "qt_widgets", None):
        from tests.gui.modal_guard import close_widgets

        close_widgets(item, _MODAL_GUARDS[0])
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]
                              ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """The phase (setup, call, teardown) in which the guard answered a dialog fails, with what it said."""
    report = yield
    found = _MODAL_GUARDS[0].take() if _MODAL_GUARDS else []
    if found:
        text = (f"a modal dialog was left open in {call.when}, answered by tests/gui/modal_guard.py (nobody can "
                "answer one under offscreen Qt; answer it in the test: monkeypatch its ask function, or click it "
                "from a QTimer):\n" + "\n".join(f"  {line}" for line in found))
        if report.failed:
            report.sections.append(("modal dialog", text))
        else:
            report.outcome, report.longrepr = "failed", text
    return report


HELD_LIMIT_GB = float(os.environ.get("FOSP_TEST_HELD_LIMIT_GB", "0.5"))
"""The most RSS one test file may leave held (GiB): `_file_memory_guard`; measured in docs/testing.md."""


@pytest.fixture(autouse=True)
def _heap_given_back() -> Iterator[None]:
    """After each test (set up first, so torn down last: after the GUI tests' collection), glibc's free
    heap pages go back to the system (`malloc_trim`): a test's big arrays freed into the heap (glibc
    raises its mmap threshold to 32 MiB after the first big free) otherwise stay resident for the
    rest of the run. Asked when the RSS grew by over 16 MiB since the last trim (or the lowest RSS seen
    since): the process's RSS is read in ~0.02 ms, where glibc's count of its free heap (`mallinfo2`, the
    test before session 35) walks every free chunk, as the trim does: ~2 ms a test on average, up to 25 ms
    in a long run's fragmented heap, and it was asked after every test."""
    yield
    from tests.rss_recorder import malloc_trim, rss_mb

    rss = rss_mb()
    if not _TRIMMED_AT or rss - _TRIMMED_AT[0] > 16:
        malloc_trim()
        _TRIMMED_AT[:] = [rss_mb()]
    else:
        _TRIMMED_AT[0] = min(_TRIMMED_AT[0], rss)


_TRIMMED_AT: list[float] = []
"""This process's RSS (MiB) after its last `malloc_trim` of `_heap_given_back`, or the lowest seen since."""


@pytest.fixture(scope="module", autouse=True)
def _file_memory_guard(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail (at the teardown of a file's last test) a test file that leaves more than
    `HELD_LIMIT_GB` of RSS held: what it kept alive (windows, models, caches), the heap given back.
    `FOSP_TEST_HELD_LIMIT_GB=0` turns it off; docs/testing.md says how to find the tests."""
    from tests.rss_recorder import malloc_trim, rss_mb

    malloc_trim()
    before = rss_mb()
    yield
    malloc_trim()
    held_gb = (rss_mb() - before) / 1024
    if HELD_LIMIT_GB > 0 and held_gb > HELD_LIMIT_GB:
        pytest.fail(f"{request.node.nodeid} left {held_gb:.2f} GiB of memory held after its tests (RSS "
                    f"{before / 1024:.2f} -> {rss_mb() / 1024:.2f} GiB; the limit is {HELD_LIMIT_GB} GiB, "
                    "FOSP_TEST_HELD_LIMIT_GB): a window, model or cache outlives its test. Find it with "
                    "FOSP_TEST_RSS=/tmp/rss.jsonl python -m pytest -p no:xdist <this file>; python -m "
                    "tests.rss_report /tmp/rss.jsonl (docs/testing.md)", pytrace=False)


@pytest.fixture
def tmp_path(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """pytest's `tmp_path` (a new folder of the run's base temp, named after the test, kept as pytest's
    `tmp_path_retention_policy` says), made by `tempfile.mkdtemp` (a random suffix) instead of pytest's
    numbering, which lists the whole base temp at each call: ~3,600 of the ~5,300 tests ask for one, so a
    worker's later tests paid for listing some thousand folders (2,500 trivial tmp_path tests in one process:
    13.4 s, 4.1 s without tmp_path; session 35)."""
    name = re.sub(r"[\W]", "_", request.node.name)[:30]
    path = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=tmp_path_factory.getbasetemp()))
    yield path
    if getattr(tmp_path_factory, "_retention_policy", "all") == "failed":  # as pytest's: a passed test's goes
        from _pytest.tmpdir import tmppath_result_key

        if request.node.stash.get(tmppath_result_key, {}).get("call", True):
            shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(autouse=True)
def _isolated_user_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own FoSp cache (projects of the demo, user models, runs): tests never
    read or write the real user's ~/.cache/fosp, and no lock or project leaks between tests. Made by
    `tempfile.mkdtemp` in one folder of the run's base temp (`fosp-caches/`): `tmp_path_factory.mktemp` numbers
    its folders by listing the base temp at each call, which grows by a folder a test (every test's cache, most
    tests' tmp_path), so a worker's last tests paid ~10-30 ms each for the listing (2,500 tests of one worker:
    34.9 s of mktemp before, 8.0 s after, counting their tmp_path's, session 35)."""
    caches = tmp_path_factory.getbasetemp() / "fosp-caches"
    caches.mkdir(exist_ok=True)
    cache = tempfile.mkdtemp(prefix="cache-", dir=caches)
    monkeypatch.setenv("FOSP_CACHE", cache)
    monkeypatch.setenv("FOSP_CONFIG", cache)  # the app's settings there, never a copy of the user's (app.services)


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    """The SmokeSeg samples bundled with the app (always present)."""
    return DEMO_DIR


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """`../shared/data`, the real data next to the project; skip where a fresh clone lacks it."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"needs the shared data folder {SHARED_DATA} (absent in a fresh clone)")
    return SHARED_DATA


@pytest.fixture()
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Every background mask PNG write (`fosp_core.annotation.mask_saves`) held until the event is
    set (set again at the end). Shared by the unit and GUI tests."""
    from fosp_core.annotation import mask_saves

    release, real = threading.Event(), mask_saves.encode_mask_png

    def slow(mask: object, compress_level: int = 6) -> bytes:
        assert release.wait(60)
        return real(mask, compress_level)

    monkeypatch.setattr(mask_saves, "encode_mask_png", slow)
    yield release
    release.set()
