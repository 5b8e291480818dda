"""Panning the canvas from the keyboard: View ▸ Pan Left / Right / Up / Down (Ctrl+Shift+arrows).

A zoomed-in image could only be moved with the mouse (a drag with Navigate, Space+drag, a middle
drag): the arrow keys step images (or video frames), Alt+Up/Down the mask threshold, Shift+ and
Ctrl+arrows the video's edited frames and keyframes, so a keyboard-only user saw the centre of the
image and nothing else once zoomed in. Ctrl+Shift+arrows are free in both modes; each press moves the
view by :data:`PAN_STEP` of what it shows.
"""

from __future__ import annotations

from collections.abc import Callable

from app.canvas import Canvas

__all__ = ["PAN_ICONS", "PAN_KEYS", "PAN_STEP", "pan_slot", "pan_view"]

#: The part of the view's width (height) one press moves it by.
PAN_STEP = 0.25

#: (menu text, key, x step, y step) of each pan action; +x shows more of the right, +y of the bottom.
PAN_KEYS: tuple[tuple[str, str, int, int], ...] = (
    ("Pan &Left", "Ctrl+Shift+Left", -1, 0),
    ("Pan &Right", "Ctrl+Shift+Right", 1, 0),
    ("Pan &Up", "Ctrl+Shift+Up", 0, -1),
    ("Pan &Down", "Ctrl+Shift+Down", 0, 1),
)
#: The View menu's icon of each pan action, by its (x step, y step).
PAN_ICONS: dict[tuple[int, int], str] = {(-1, 0): "fa6s.arrow-left", (1, 0): "fa6s.arrow-right",
                                         (0, -1): "fa6s.arrow-up", (0, 1): "fa6s.arrow-down"}


def pan_view(canvas: Canvas, dx: int, dy: int) -> None:
    """Move `canvas`'s view by `dx`, `dy` steps of :data:`PAN_STEP` of its size (image coordinates: +y
    shows more of the bottom); the zoom stays, and the view stops fitting the window on resize, as after
    a drag. Nothing shown: nothing moves."""
    if canvas.image_shape is None:
        return
    rect = canvas.view_box.viewRect()
    canvas.view_box.translateBy(x=dx * PAN_STEP * rect.width(), y=dy * PAN_STEP * rect.height())


def pan_slot(canvas: Canvas, dx: int, dy: int) -> Callable[[], None]:
    """The slot of one pan action: :func:`pan_view` of `canvas` by (`dx`, `dy`) steps."""
    return lambda: pan_view(canvas, dx, dy)
