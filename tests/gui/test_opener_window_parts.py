"""The opener (app.opening) works on the window it opens in through its OpenWindow parts (session,
recent paths, annotation tools, video mode, status bar) and imports nothing of the main window
(which imported it back). Here it opens a folder, at once and on its worker, in a bare QMainWindow
that holds only those parts, as stand-ins that record what the opener asked of them."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image
from PySide6.QtWidgets import QMainWindow

from app.opening import Opener
from fosp_core.session import ImageSession


class _Recent:
    def __init__(self) -> None:
        self.added: list[Path] = []
        self.last: dict[Path, Path] = {}

    def add(self, path: str | Path) -> None:
        self.added.append(Path(path))

    def add_resolved(self, path: Path) -> None:  # resolved on the open's worker (session 36)
        self.added.append(path)

    def last_image(self, folder: Path) -> Path | None:
        return self.last.get(folder)

    def set_last_image(self, folder: Path, image: Path) -> None:
        self.last[folder] = image


class _Video:
    active = False

    def __init__(self) -> None:
        self.calls: list[str] = []

    def cancel_open(self) -> None:
        self.calls.append("cancel_open")

    def leave(self) -> None:
        self.calls.append("leave")


class _PartsWindow(QMainWindow):
    """A window with the opener's parts and nothing else of the main window."""

    def __init__(self) -> None:
        super().__init__()
        self.session = ImageSession()
        self.recent = _Recent()
        self.video = _Video()
        self.asked: list[object] = []
        registry = SimpleNamespace(pending=lambda paths: self.asked.append(("pending", tuple(paths))) or [],
                                   adopt=lambda projects, found=None: self.asked.append(("adopt", list(projects))),
                                   open_datasets=lambda paths: [], adopt_read=lambda read: None,
                                   look=lambda paths: {}, adopt_looked=lambda looked: None)
        self.annotation = SimpleNamespace(controller=SimpleNamespace(registry=registry, notes=SimpleNamespace(last=None)),
                                          open_paths=lambda paths: self.asked.append(("open_paths", tuple(paths))))


@pytest.mark.parametrize("background", [False, True])
def test_the_opener_opens_in_any_window_with_its_parts(qtbot, tmp_path: Path, background: bool) -> None:
    folder = tmp_path / "plumes"
    folder.mkdir()
    for name in ("b.png", "a.png", "c.png"):
        Image.fromarray(np.full((4, 5, 3), 90, np.uint8)).save(folder / name)
    window = _PartsWindow()
    qtbot.addWidget(window)
    opener = Opener(window)
    window.recent.last[folder.resolve()] = folder.resolve() / "b.png"  # opened before, b shown last

    added = opener.open([folder], background=background)
    assert opener.wait(20.0)
    if background:
        assert added == []  # applied later, on the GUI thread
    else:
        assert [p.name for p in added] == ["a.png", "b.png", "c.png"]
    assert [p.name for p in window.session.paths] == ["a.png", "b.png", "c.png"]
    assert window.session.current_path is not None and window.session.current_path.name == "b.png"
    assert window.video.calls == ["cancel_open", "leave"]
    assert window.asked == [("pending", (folder,)), ("adopt", []), ("open_paths", (folder,))]
    assert window.recent.added == [folder]
    assert window.statusBar().currentMessage() == "Opened 3 images"
    opener.shutdown()
