"""The main window as the parts built on it see it: :class:`AppWindow`.

The analysis controller and the video mode are made by :class:`app.main_window.MainWindow` and
work on it (its session, canvas, services, annotation tools, status bar). They name this protocol
instead of the window's class, so the window imports them and nothing imports the window back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QLabel, QStatusBar

    from app.annotation import AnnotationUI
    from app.canvas import Canvas
    from app.services import Services
    from fosp_core.session import ImageSession

__all__ = ["AppWindow"]


class AppWindow(Protocol):
    """What a mode or controller of the main window uses of it (a QMainWindow underneath: it is
    also the parent of their dialogs and Qt objects)."""

    session: ImageSession
    canvas: Canvas
    services: Services
    annotation: AnnotationUI
    size_label: QLabel

    def statusBar(self) -> QStatusBar: ...  # noqa: N802 (Qt's name)

    def installEventFilter(self, watched: QObject) -> None: ...  # noqa: N802

    def setWindowTitle(self, title: str) -> None: ...  # noqa: N802

    def windowTitle(self) -> str: ...  # noqa: N802
