"""Ctrl+C in the terminal that started the app closes the window like its close button (README: exit
130 interrupted). It printed a KeyboardInterrupt traceback from a timer slot and the window stayed."""

from __future__ import annotations

import signal
from pathlib import Path

from app.main import INTERRUPTED_EXIT, close_on_interrupt
from tests.gui.annotation_helpers import demo_window


def test_sigint_closes_the_window_and_a_second_is_pythons(qtbot, make_window, demo_dir: Path,  # noqa: ANN001
                                                          tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    before = signal.getsignal(signal.SIGINT)
    try:
        interrupted = close_on_interrupt(window)
        assert not interrupted()
        signal.raise_signal(signal.SIGINT)  # the handler runs at the next Python bytecode, here
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
        assert interrupted()
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
        assert INTERRUPTED_EXIT == 130
    finally:
        signal.signal(signal.SIGINT, before)


def test_sigterm_closes_the_window_as_its_close_button(qtbot, make_window, demo_dir: Path,  # noqa: ANN001
                                                       tmp_path: Path) -> None:
    """A logout or `kill` (SIGTERM) ended the app without its close (the default action: exit 143, the
    window's close never ran); now it closes as Ctrl+C does, and a second SIGTERM is the default one."""
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    before_int, before_term = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    caught: list[int] = []
    signal.signal(signal.SIGTERM, lambda signum, frame: caught.append(signum))  # guards this test's process
    try:
        interrupted = close_on_interrupt(window)
        signal.raise_signal(signal.SIGTERM)
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
        assert interrupted() and not caught
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    finally:
        signal.signal(signal.SIGINT, before_int)
        signal.signal(signal.SIGTERM, before_term)
