"""The status bar's permanent readouts of the main window: `StatusReadouts`.

Left to right: the current image's place in the list ("12 / 1053"), the pixel under the cursor
("x 12  y 34   RGB ..."; shown only over the image), the image size and the zoom. The pixel and zoom
readouts follow the canvas; the window sets the place and the size (the video mode sets the size of
its frames too).

A message in the status bar (``showMessage``) is drawn left of them, in the room they leave: at
1366 px with an analysis result's hover readout shown that was 130 px ("Undo: brush (nothing"). Labels
marked with the `GIVES_WAY` property (the pixel readout here, the analysis hover readout) give up the
width a message needs while it is shown, the last one first, their ends cut (`MessageRoom`). A message
longer than all that room is drawn elided (`fitted_message`: a path in it loses its middle, else the text
its end) where QStatusBar cut it mid-word with no "…"; the whole text is the bar's tooltip and accessible
description while it shows.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QLabel, QSizeGrip, QStatusBar, QStyle, QStyleOption

from app.canvas import Canvas
from fosp_core.session import ImageSession

__all__ = ["GIVES_WAY", "MessageRoom", "PlaceLabel", "StatusReadouts", "fitted_message"]

#: A status-bar label whose property of this name is true gives up width to a message (`MessageRoom`).
GIVES_WAY = "givesWayToMessages"
_KEEP = 40  # what a label that gives way keeps of its width at least (px)
_NO_LIMIT = 16777215  # QWIDGETSIZE_MAX
_MESSAGE_GAPS = 2 + 6 + 4  # QStatusBar's gaps left and right of its message, and a little air
_PATH = re.compile(r"(?:[A-Za-z]:)?[/\\][^\s]*[^\s.,;:)]")  # a file's path in a message (POSIX or Windows)
_ELIDED_PATH_LEAST = 12  # a path elided to fewer characters than this says nothing: the text's end goes


def fitted_message(message: str, metrics: QFontMetrics, width: int) -> str:
    """`message` as it fits `width` px in `metrics`' font: whole, else its longest path elided in its
    middle ("/tmp/…/clip.labels"), else its end elided ("…")."""
    if metrics.horizontalAdvance(message) <= width:
        return message
    paths = sorted(_PATH.finditer(message), key=lambda m: len(m.group()), reverse=True)
    if paths:
        found = paths[0]
        before, after = message[:found.start()], message[found.end():]
        room = width - metrics.horizontalAdvance(before) - metrics.horizontalAdvance(after)
        short = metrics.elidedText(found.group(), Qt.TextElideMode.ElideMiddle, max(room, 0))
        text = before + short + after
        if len(short) >= _ELIDED_PATH_LEAST and metrics.horizontalAdvance(text) <= width:
            return text
    return metrics.elidedText(message, Qt.TextElideMode.ElideRight, width)


class MessageRoom(QObject):
    """While `status` shows a message, its labels marked `GIVES_WAY` (the rightmost first) cap their
    width so that the message fits, down to `_KEEP` px each; when it clears, or needs less, they
    take their width back. Checked when the message changes and whenever the bar lays out again
    (a readout appears under the mouse, its text grows, the window is resized)."""

    def __init__(self, status: QStatusBar) -> None:
        super().__init__(status)
        self._status = status
        self._fitting = False
        status.messageChanged.connect(lambda _text: self.fit())
        status.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self._status and event.type() in (QEvent.Type.LayoutRequest, QEvent.Type.Resize):
            self.fit()
        if watched is self._status and event.type() == QEvent.Type.Paint:
            return self._paint_elided()
        return False

    def message_rect(self) -> QRect:
        """Where QStatusBar draws its message: 6 px in, up to 2 px before its first permanent widget."""
        status = self._status
        lefts = [child.x() for child in status.children()
                 if child.isWidgetType() and child.isVisible() and child.x() > 0 and not isinstance(child, QSizeGrip)]
        right = min([status.width() - 12, *(x - 2 for x in lefts)])
        return QRect(6, 0, max(right - 6, 0), status.height())

    def shown_message(self) -> str:
        """The message as drawn now: whole, or elided to its room (`fitted_message`)."""
        message = self._status.currentMessage()
        return fitted_message(message, self._status.fontMetrics(), self.message_rect().width()) if message else ""

    def _paint_elided(self) -> bool:
        """Paint the bar as QStatusBar does, its message elided, where the message is longer than its room
        (True: painted); else leave it to QStatusBar (False)."""
        status = self._status
        message, shown = status.currentMessage(), self.shown_message()
        if shown == message:
            return False
        painter = QPainter(status)
        option = QStyleOption()
        option.initFrom(status)
        style = status.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelStatusBar, option, painter, status)
        for child in status.children():  # the permanent widgets' frames (the others hide under a message)
            if child.isWidgetType() and child.isVisible() and not isinstance(child, QSizeGrip):
                frame = QStyleOption()
                frame.rect = child.geometry().adjusted(-2, -1, 2, 1)
                frame.palette = status.palette()
                frame.state = QStyle.StateFlag.State_None
                style.drawPrimitive(QStyle.PrimitiveElement.PE_FrameStatusBarItem, frame, painter, child)
        painter.setPen(status.palette().windowText().color())
        painter.drawText(self.message_rect(), int(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter
                                                  | Qt.TextFlag.TextSingleLine), shown)
        painter.end()
        return True

    def _describe(self) -> None:
        """The whole message in the bar's tooltip and accessible description while it is shown elided."""
        message = self._status.currentMessage()
        whole = message if message and self.shown_message() != message else ""
        if self._status.toolTip() != whole:
            self._status.setToolTip(whole)
            self._status.setAccessibleDescription(whole)

    def _givers(self) -> list[QLabel]:
        labels = self._status.findChildren(QLabel, options=Qt.FindChildOption.FindDirectChildrenOnly)
        return sorted((label for label in labels if label.property(GIVES_WAY) and label.isVisible()),
                      key=lambda label: label.x(), reverse=True)

    def _room(self) -> int:
        """The width left of the leftmost visible permanent widget (the message's room)."""
        lefts = [child.x() for child in self._status.children()
                 if child.isWidgetType() and child.isVisible() and child.x() > 0]
        return (min(lefts) if lefts else self._status.width()) - _MESSAGE_GAPS

    def fit(self) -> None:
        """Give the current message the room it needs (see the class doc)."""
        if self._fitting:
            return
        self._fitting = True
        try:
            self._fit()
            self._describe()
        finally:
            self._fitting = False

    def _fit(self) -> None:
        message = self._status.currentMessage()
        if not message:
            for label in self._status.findChildren(QLabel, options=Qt.FindChildOption.FindDirectChildrenOnly):
                if label.property(GIVES_WAY) and label.maximumWidth() != _NO_LIMIT:
                    label.setMaximumWidth(_NO_LIMIT)
            return
        layout = self._status.layout()
        if layout is not None:
            layout.activate()  # the geometry of now, not of the last paint
        short = self._status.fontMetrics().horizontalAdvance(message) - self._room()
        givers = self._givers()
        if short < 0:  # more room than needed: the last to give way takes some back first
            givers.reverse()
        changed = False
        for label in givers:
            width, natural = label.width(), label.sizeHint().width()
            step = min(short, width - _KEEP) if short > 0 else -min(-short, max(natural - width, 0))
            if step:
                label.setMaximumWidth(_NO_LIMIT if width - step >= natural else width - step)
                short -= step
                changed = True
            if short == 0:
                break
        if changed and layout is not None:
            layout.activate()


class PlaceLabel(QLabel):
    """The place readout: the current image's place ("12 / 1053", which the window sets with `setText`), or
    while a video is shown the frame's ("frame 17 / 23", `show_frame`): in video mode it said "1 / 4", the
    place of the image behind the video."""

    IMAGE_TIP = "The current image's place among the open images"
    FRAME_TIP = "The frame shown, counted from 0, and the video's last frame (as the timeline counts)"

    def __init__(self) -> None:
        super().__init__()
        self._image_place = ""
        self._frame: str | None = None
        self.setToolTip(self.IMAGE_TIP)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt API)
        """The image's place: shown unless a frame's is (`show_frame`)."""
        self._image_place = text
        if self._frame is None:
            super().setText(text)

    def show_frame(self, text: str | None) -> None:
        """Say the video frame's place `text`; None: the image's again (the window left the video)."""
        self._frame = text
        super().setText(self._image_place if text is None else text)
        self.setToolTip(self.IMAGE_TIP if text is None else self.FRAME_TIP)


class StatusReadouts(QObject):
    """See module doc: `position`, `pixel`, `size` and `zoom` labels, added to `status` (a child of
    it, so the canvas's signals stop reaching it with the window)."""

    def __init__(self, status: QStatusBar, canvas: Canvas, session: ImageSession) -> None:
        super().__init__(status)
        self._session = session
        mono = QFont("DejaVu Sans Mono")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.position = PlaceLabel()  # "12 / 1053": where the current image is in the list (or the frame)
        self.pixel = QLabel()  # "x 12  y 34   RGB ...": shown only over the image, as wide as its text
        self.pixel.hide()  # empty, it took 330 px and cut the messages ("Opened 4 imag" at 1024 px)
        self.pixel.setProperty(GIVES_WAY, True)
        self.size = QLabel()
        self.zoom = QLabel()
        for label in (self.position, self.pixel, self.size, self.zoom):
            label.setFont(mono)
            label.setContentsMargins(10, 0, 10, 0)
            status.addPermanentWidget(label)
        self.message_room = MessageRoom(status)
        canvas.hovered.connect(self.show_pixel)
        canvas.left.connect(self.clear_pixel)
        canvas.zoom_changed.connect(self.show_zoom)

    def show_pixel(self, x: int, y: int) -> None:
        """Image pixel (x, y) of the current image is under the cursor: its coordinates and colour."""
        image = self._session.current_image
        if image is None or not (0 <= x < image.width and 0 <= y < image.height):
            self.set_pixel_text("")
            return
        r, g, b = (int(v) for v in image.rgb[y, x])
        self.set_pixel_text(f"x {x:>5}  y {y:>5}   RGB {r:>3} {g:>3} {b:>3}")

    def clear_pixel(self) -> None:
        """The cursor left the image."""
        self.set_pixel_text("")

    def show_zoom(self, percent: float) -> None:
        """Screen pixels per image pixel, in percent (100: 1:1)."""
        self.zoom.setText(f"zoom {percent:.0f}%")

    def set_pixel_text(self, text: str) -> None:
        """The pixel readout takes room in the status bar only while it says something."""
        self.pixel.setText(text)
        self.pixel.setVisible(bool(text))
