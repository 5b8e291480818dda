"""The window set-up shared by the tests of a failed journal fsync in the window: the demo project
open with a collecting error reporter, and every ``os.fsync`` going through a `Disk` that can be made
to fail the journal's."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

import pytest

from app.main_window import MainWindow
from app.services import CollectingErrorReporter
from tests.gui.annotation_helpers import demo_window
from tests.unit.settle_disk import Disk


class FailingDiskWindow(NamedTuple):
    """The demo window, its error reporter and the disk its fsyncs go through."""

    window: MainWindow
    reporter: CollectingErrorReporter
    disk: Disk


def failing_disk_window(qtbot, make_window, demo_dir: Path, tmp_path: Path,  # noqa: ANN001
                        monkeypatch: pytest.MonkeyPatch) -> FailingDiskWindow:
    """The demo window with a collecting error reporter, ``os.fsync`` patched to a `Disk` (working yet)."""
    reporter = CollectingErrorReporter()
    window = demo_window(qtbot, make_window, demo_dir, tmp_path, error_reporter=reporter)
    disk = Disk()
    monkeypatch.setattr(os, "fsync", disk.fsync)
    return FailingDiskWindow(window, reporter, disk)
