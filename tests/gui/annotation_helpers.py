"""Helpers for the annotation GUI tests: a private copy of the demo dataset, opening it in a window
and mouse gestures at image pixels."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from app.main_window import MainWindow


def copy_demo(demo_dir: Path, dst: Path) -> Path:
    """A writable copy of the bundled SmokeSeg demo (4 images, 512 x 512)."""
    shutil.copytree(demo_dir, dst, ignore=shutil.ignore_patterns(".fosp"))
    return dst


def open_and_wait(qtbot, window: MainWindow, folder: Path) -> None:  # noqa: ANN001 - qtbot fixture
    """Open `folder` and wait for the current image's annotation document."""
    window.open_paths([folder], remember=False)
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None
                    and controller.image_path == window.session.current_path, timeout=10000)


def open_projects_told(qtbot, window: MainWindow, folder: Path) -> list[str]:  # noqa: ANN001 - qtbot fixture
    """Open the annotation project of `folder` in `window` (its controller, no images shown); what the
    controller said (its message signal) from then on."""
    controller = window.annotation.controller
    messages: list[str] = []
    controller.message.connect(lambda text, *_: messages.append(text))
    controller.open_projects([folder])
    qtbot.wait(10)
    return messages


def demo_project(window: MainWindow, demo_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    """(demo, location): a copy of the demo under `tmp_path` with its project made (closed) where
    `window` will look for it (projects under `tmp_path`/projects)."""
    from fosp_core.annotation.project import Project

    demo = copy_demo(demo_dir, tmp_path / "demo")
    registry = window.annotation.controller.registry
    registry.projects_root = tmp_path / "projects"
    location = registry._location(demo.resolve())
    assert location is not None
    Project.open(demo, location).close()
    return demo, location


def demo_window(qtbot, make_window, demo_dir: Path, tmp_path: Path, **kwargs) -> MainWindow:  # noqa: ANN001
    """A shown window (`make_window(show=True, **kwargs)`) on a writable copy of the demo, its
    annotation projects under `tmp_path`, the first image's document ready."""
    window = make_window(show=True, **kwargs)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"  # nothing beside the images
    open_and_wait(qtbot, window, copy_demo(demo_dir, tmp_path / "demo"))
    return window


def blank_demo_window(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> MainWindow:  # noqa: ANN001
    """`demo_window` with the first image's mask cleared (a blank canvas for tool gestures)."""
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    doc = window.annotation.controller.document
    doc.replace_mask(np.zeros(doc.shape, np.uint8))
    return window


def viewport_pos(window: MainWindow, x: float, y: float) -> QPoint:
    """The viewport position over the centre of image pixel (x, y): the nearest one (a mouse position is
    a screen pixel's corner) whose point is in that pixel. At a whole zoom the view is on the pixel grid
    (Canvas.set_zoom) and the centre half-way between two positions: rounded, it was the next pixel's
    (and below 1:1 a rounding of half a screen pixel may cross into the neighbour)."""
    canvas = window.canvas
    scene = canvas.view_box.mapViewToScene(QPointF(x + 0.5, y + 0.5))
    nearest = canvas.mapFromScene(scene)
    centre = canvas.viewportTransform().map(scene)
    pixel = (int(np.floor(x)), int(np.floor(y)))
    around = sorted((nearest + QPoint(dx, dy) for dx in (0, -1, 1) for dy in (0, -1, 1)),
                    key=lambda p: (p.x() - centre.x()) ** 2 + (p.y() - centre.y()) ** 2)
    return next((p for p in around if canvas.image_pixel_at(canvas.mapToScene(p)) == pixel), nearest)


def settle_saves(window: MainWindow) -> None:
    """Wait for the background mask saves of the window's projects and take their outcome (saved,
    or a failure told), as the app does when the worker's signal arrives."""
    window.annotation.controller.open_documents.flush()


def drag(window: MainWindow, points: Sequence[tuple[float, float]],
         button: Qt.MouseButton = Qt.MouseButton.LeftButton, *, settle: bool = True) -> None:
    """Press at the first image point, move through the rest, release at the last; `settle`: then
    wait for the background save of the commit (`settle_saves`; off: return right after the release)."""
    viewport = window.canvas.viewport()
    positions = [viewport_pos(window, x, y) for x, y in points]
    QTest.mousePress(viewport, button, Qt.KeyboardModifier.NoModifier, positions[0])
    for pos in positions[1:]:
        QTest.mouseMove(viewport, pos)
    QTest.mouseRelease(viewport, button, Qt.KeyboardModifier.NoModifier, positions[-1])
    if settle:
        settle_saves(window)


def click(window: MainWindow, x: float, y: float) -> None:
    QTest.mouseClick(window.canvas.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     viewport_pos(window, x, y))


def key(window: MainWindow, sequence: str, *, settle: bool = True) -> None:
    """Type a shortcut to the canvas (as a user with the canvas focused); `settle` as `drag`'s."""
    from PySide6.QtGui import QKeySequence

    combo = QKeySequence(sequence)[0]
    QTest.keyClick(window.canvas, combo.key(), combo.keyboardModifiers())
    if settle:
        settle_saves(window)
