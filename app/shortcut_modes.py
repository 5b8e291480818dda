"""The window's keyed actions that are off for as long as its mode lasts: the video's frame actions
while images are shown, and the image session's actions while a video is open (Go to Image, Filter by
Name, Next / Previous Unreviewed, Export to SmokeSeg, Import Labels, which :class:`app.video.chrome.ModeSwitch`
turns off, and Mark Reviewed and Copy Previous Image's Mask, off on a frame: frames have no review
status, and C carries the previous frame's mask).

While a video is open the image session's keys say why they do nothing (:func:`say_why_off_with_a_video`;
Mark Reviewed's and Copy Previous Image's Mask's: :class:`app.annotation.actions.AnnotationActions`).
Help ▸ Keyboard Shortcuts leaves their keys out in that mode (:func:`off_in_mode`), as it leaves out the
hidden actions; an action off for a moment (Undo with nothing to undo, Next Image on the last image, Close
Polygon with another tool) stays listed. Read through the window's parts by name (``window.video``,
``window.annotation``), so that this module imports neither."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

from app.keys_say_why import keys_say_why

__all__ = ["IMAGES_AGAIN", "never_on_together", "off_in_mode", "say_why_off_with_a_video"]

#: How to go back from a video to the images, by keyboard too.
IMAGES_AGAIN = "View ▸ Images, then choose an image, goes back to them"


def _image_only(window: QMainWindow) -> list[QAction]:
    video = getattr(window, "video", None)
    modes = getattr(video, "modes", None)
    actions = getattr(getattr(window, "annotation", None), "actions", None)
    found = [getattr(window, name, None) for name in ("action_next", "action_previous")]
    found += modes.image_actions() if modes is not None else []
    found += [actions.mark_reviewed, actions.copy_previous] if actions is not None else []
    return [a for a in found if isinstance(a, QAction)]


def off_in_mode(window: QMainWindow) -> list[QAction]:
    """The actions of `window` whose keys do nothing in the mode it is in now (see module doc)."""
    video = getattr(window, "video", None)
    if video is None:
        return []
    if getattr(video, "active", False):
        return _image_only(window)
    return [a for a in getattr(video, "actions", []) if isinstance(a, QAction)]


def never_on_together(window: QMainWindow, a: QAction, b: QAction) -> bool:
    """Whether `a` and `b` are never on at the same time: one is the video's (off while images are
    shown), the other the image session's (off while a video is open), so one key may serve both (Home:
    First Image, First Frame)."""
    video = getattr(window, "video", None)
    frames = [x for x in getattr(video, "actions", []) if isinstance(x, QAction)] if video is not None else []
    images = _image_only(window)

    def holds(found: list[QAction], action: QAction) -> bool:
        return any(x is action for x in found)

    return (holds(frames, a) and holds(images, b)) or (holds(frames, b) and holds(images, a))


def say_why_off_with_a_video(window: QMainWindow) -> None:
    """The keys of Filter by Name and Next / Previous Unreviewed, off while a video is open, say so in the
    status bar, and how to go back to the images (`app.keys_say_why`). Go to Image's Ctrl+G is the video's
    Go to Frame there (app.video.mode)."""
    actions = getattr(getattr(window, "annotation", None), "actions", None)
    found = [getattr(window, "action_filter", None)]
    found += [actions.next_unreviewed, actions.previous_unreviewed] if actions is not None else []
    for action in found:
        if isinstance(action, QAction):
            name = action.text().replace("&", "").replace("…", "")
            keys_say_why(window, action, lambda name=name: _why(window, name), 6000)


def _why(window: QMainWindow, name: str) -> str:
    if getattr(getattr(window, "video", None), "active", False):
        return f"{name} works on the images, and a video is open: {IMAGES_AGAIN}"
    return f"{name} is off now"
