"""Going from image to image in a folder on a network share slow to answer keeps the window turning (session 36).

Session 36's first pass (`test_stall_s36_open_slow_share`) moved the open's look-ups to its worker. Still on the
GUI thread, at every image shown: the image's path resolved again (on Linux a ``realpath``: an ``lstat`` of each
folder on its way), though the open had resolved it, by `ImageSession.set_current_image` (the decoded image
taken), `ImageSession.index_of` (its thumbnail), `ProjectRegistry.lookup` and `DocumentOpening.open` (its
project and document) and `AnnotationController.set_probability` (the model's map, or none, lent by the analysis
view). Each held the window for as long as the share took to answer. The session's paths are resolved where the
open ran; they are taken as they are.

The share is simulated as in `test_stall_s36_open_slow_share` (`ImageShare`: its image files included):
``Path.resolve``, ``os.path.realpath`` and ``os.path.islink`` held for paths under it until the test releases
them, each call's thread kept; no wall-clock assert.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from app.main_window import MainWindow

from .conftest import WindowFactory
from .test_stall_s36_open_slow_share import Share

HELD_S = 5  # the longest the share holds a call (the old code then goes on, and fails the test)


class ImageShare(Share):
    """`Share`, its image files' own look-ups held too: the window's thread must not make them either."""

    def under(self, path: object) -> bool:
        text = os.fspath(path) if isinstance(path, (str, os.PathLike)) else str(path)
        return text == self.root or text.startswith(self.root + "/")


def hold_resolving(monkeypatch: pytest.MonkeyPatch, share: Share) -> None:
    """The calls that resolve a path, held by `share` (`Path.resolve` goes through ``os.path.realpath``)."""
    monkeypatch.setattr(Path, "resolve", share.hold("resolve", Path.resolve, lambda path, *_: path))
    for name in ("realpath", "islink"):
        monkeypatch.setattr(os.path, name, share.hold(name, getattr(os.path, name), lambda path, *_: path))


@pytest.fixture()
def share(tmp_path: Path) -> Iterator[ImageShare]:
    held = ImageShare(tmp_path / "share", HELD_S)
    yield held
    held.released.set()


@pytest.fixture()
def folder(share: Share, demo_dir: Path) -> Path:
    return shutil.copytree(demo_dir / "JPEGImages", Path(share.root) / "photos")


def opened_window(make_window: WindowFactory, tmp_path: Path, folder: Path, qtbot) -> MainWindow:  # noqa: ANN001
    """A window with `folder` open (nothing held), its first image's document shown."""
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"  # outside the share
    assert len(window.open_paths([folder], remember=True)) == 4
    qtbot.waitUntil(lambda: shown(window, window.session.current_path), timeout=20_000)
    return window


def shown(window: MainWindow, path: Path | None) -> bool:
    """`path` is the current image, decoded and shown with its document."""
    controller = window.annotation.controller
    image = window.session.current_image
    return (path is not None and image is not None and image.path == path and controller.document is not None
            and controller.image_path == path)


def turns_while_held(qtbot, share: Share) -> None:  # noqa: ANN001
    """The event loop runs (a timer fires) while the share still holds its calls."""
    ticks: list[bool] = []
    QTimer.singleShot(0, lambda: ticks.append(not share.released.is_set()))
    qtbot.waitUntil(lambda: bool(ticks), timeout=(HELD_S + 10) * 1000)
    assert ticks == [True]


def test_stall_s36b_next_and_back_on_a_held_share_resolve_nothing_on_the_gui_thread(
        qtbot, make_window: WindowFactory, tmp_path: Path, folder: Path, share: ImageShare,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Next image, then back: the image taken (`set_current_image`), its thumbnail (`index_of`), its project and
    document (`lookup`, `DocumentOpening.open`) and its map (`set_probability`) resolved its path there."""
    window = opened_window(make_window, tmp_path, folder, qtbot)
    session, controller = window.session, window.annotation.controller
    first = session.current_path
    assert first is not None
    stroke = controller.document
    assert stroke is not None
    hold_resolving(monkeypatch, share)
    session.next()
    turns_while_held(qtbot, share)
    second = session.current_path
    assert second is not None and second != first
    qtbot.waitUntil(lambda: shown(window, second), timeout=(HELD_S * 12 + 10) * 1000)
    shown_while_held = not share.released.is_set()
    session.previous()
    qtbot.waitUntil(lambda: shown(window, first), timeout=(HELD_S * 12 + 10) * 1000)
    share.released.set()
    assert share.on_gui() == {}, share.on_gui()
    assert shown_while_held
    # as before: each image's own document of its project, the first one's kept from its visit
    registry = controller.registry
    found = registry.lookup(first)
    assert found is not None and controller.document is not None
    assert controller.document is stroke and controller.project is found[0] and stroke.image_id == found[1]
    assert controller.image_path == first == folder.resolve() / first.name
    assert session.index_of(second) == 1 and session.index_of(folder / second.name) == 1


def test_stall_s36b_a_link_to_an_open_image_is_still_found(
        qtbot, make_window: WindowFactory, tmp_path: Path, folder: Path, share: ImageShare) -> None:
    """A path not open as given (a link to an open image, a relative path) is still resolved to find it."""
    share.released.set()
    window = opened_window(make_window, tmp_path, folder, qtbot)
    session, registry = window.session, window.annotation.controller.registry
    target = session.paths[2]
    link = tmp_path / "link.jpg"
    link.symlink_to(target)
    assert session.index_of(link) == 2 and registry.lookup(link) == registry.lookup(target) is not None
    assert registry.resolved(link) == str(target)
    relative = Path(os.path.relpath(target))
    assert session.index_of(relative) == 2 and registry.lookup(relative) == registry.lookup(target)
    assert session.index_of(tmp_path / "nothing.jpg") == -1 and registry.lookup(tmp_path / "nothing.jpg") is None


def test_stall_s36b_the_worklist_goes_to_an_image_on_a_held_share_resolving_nothing_on_the_gui_thread(
        qtbot, make_window: WindowFactory, tmp_path: Path, folder: Path, share: ImageShare,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The worklist's go to (a row clicked, Next Unreviewed, Home / End) resolved the image's path there first."""
    window = opened_window(make_window, tmp_path, folder, qtbot)
    session, controller = window.session, window.annotation.controller
    found = controller.registry.lookup(session.paths[3])
    assert found is not None
    hold_resolving(monkeypatch, share)
    assert window.annotation.worklist.go_to(found[1])
    turns_while_held(qtbot, share)
    assert session.current_index == 3
    qtbot.waitUntil(lambda: shown(window, session.paths[3]), timeout=(HELD_S * 12 + 10) * 1000)
    share.released.set()
    assert share.on_gui() == {}, share.on_gui()
    assert controller.document is not None and controller.document.image_id == found[1] and len(session) == 4
