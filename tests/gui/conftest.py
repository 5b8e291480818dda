"""GUI test fixtures: hidden main windows with isolated settings and injectable error reporters."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSettings, QThreadPool

from app.control_style import ContrastStyle
from app.gc_guard import install_gc_guard
from app.main_window import MainWindow
from app.services import CollectingErrorReporter, ErrorReporter, Services
from app.theme import DARK, apply_theme, current_theme

WindowFactory = Callable[..., MainWindow]

# The modal-dialog guard (`tests/gui/modal_guard.py`) is wired in tests/conftest.py: the e2e tests have it too.


@pytest.fixture(autouse=True)
def _garbage_collected_where_qt_holds_no_lock(qapp, request):  # noqa: ANN001 - set up before qtbot, so torn down after it
    """Python's cyclic garbage collection, started by any allocation, can destroy a leftover Qt
    object (a closed window's menu) while Qt holds its connection lock inside QObject::disconnect;
    the destructor waits on that same lock and the process hangs (seen once in `.ci/run`,
    2026-12-06: pyqtgraph's _updateView -> disconnect -> gc -> ~QAction). During a GUI test
    garbage is collected as in the app (`app.gc_guard`, which create_app installs): automatic
    collection off, collections from a timer on the GUI thread, between two events. At teardown,
    after qtbot closed the windows, the test's garbage is collected where no Qt lock is held, what
    survives is frozen so that the next collections stay cheap, and automatic collection is back on
    for the tests that follow (tests/unit run no event loop).

    Before that collection the closed windows are deleted (qtbot's `deleteLater` waits for an event
    loop: the next test's), the display pyramid's levels still queued for them rendered (each job holds
    its layer's arrays), the test's monkeypatch undone (its undo lists hold the windows' objects; it
    is torn down after this fixture) and pytest's own reference to the fixture values (`item.funcargs`,
    dropped only after every teardown) is cleared: else each window was frozen alive and kept, with what its
    Python objects held, for the rest of the run (~8 MiB a test in test_annotation_tools.py)
    (tests/gui/test_windows_released_between_tests.py, `tests/rss_recorder.py`)."""
    guard = install_gc_guard(qapp)
    try:
        yield
    finally:
        QThreadPool.globalInstance().waitForDone(30_000)  # no pool thread still ending a runnable we collect
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        pyramid = sys.modules.get("app.display_pyramid")
        if pyramid is not None and pyramid._worker is not None:  # its jobs run in order: after this one
            pyramid._worker.submit(lambda: None).result(timeout=60)  # none left holding a closed canvas's arrays
        patched = request.node.funcargs.get("monkeypatch")
        if patched is not None:  # set up before this fixture (tests/conftest.py), so torn down after
            patched.undo()  # it holds the old values of what it patched: a window's workers, methods
        request.node.funcargs.clear()
        gc.collect()
        gc.freeze()
        guard.stop()
        gc.enable()


@pytest.fixture(autouse=True)
def _in_the_app_s_theme(qapp) -> None:  # noqa: ANN001 - pytest-qt's qapp
    """Each GUI test starts in the app's theme (dark, its style a :class:`ContrastStyle`), as the app
    does (`create_app` applies it before any window). A window made while the application still had Qt's
    own style (the first GUI test of a worker process, or one after a test put the style back) kept it
    under its pyqtgraph plots; a theme switch then replaced it (`QApplication.setStyle` deletes the old
    style) and the plots' next layout read a deleted style: a segmentation fault
    (tests/gui/test_flake_s34_theme_first_switch.py). Applied only where needed (one call a process)."""
    if not isinstance(qapp.style(), ContrastStyle) or current_theme() is not DARK:
        apply_theme(qapp, DARK.name)


@pytest.fixture()
def settings_path(tmp_path: Path) -> Path:
    """An INI file private to this test (never the user's settings)."""
    return tmp_path / "settings" / "fosp-studio.ini"


@pytest.fixture()
def make_window(qtbot, settings_path: Path) -> WindowFactory:
    """Build a MainWindow with this test's settings file; closed (and its workers stopped) at
    teardown. Pass `error_reporter=` to see errors another way than a CollectingErrorReporter."""

    def factory(error_reporter: ErrorReporter | None = None, show: bool = False,
                default_model: Path | None = None) -> MainWindow:
        settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
        services = Services(settings=settings, error_reporter=error_reporter or CollectingErrorReporter(),
                            default_model=default_model)
        window = MainWindow(services)
        window.resize(1000, 700)
        qtbot.addWidget(window)
        if show:
            window.show()
            qtbot.waitExposed(window)
        return window

    return factory


@pytest.fixture
def export(demo_dir: Path, tmp_path: Path) -> Path:
    """A SmokeSeg export of the demo images, as the app's Export writes it (to fine-tune on)."""
    from tests.unit.test_train_support import make_export

    return make_export(demo_dir, tmp_path / "my-export")


@pytest.fixture
def tiny_checkpoint(tmp_path: Path) -> Path:
    """A tiny fosp-s checkpoint to fine-tune from."""
    from tests.unit.test_train_support import save_tiny_checkpoint

    return save_tiny_checkpoint(tmp_path / "tiny.safetensors")
