"""What the menus offer of the image project while a video is open: nothing that acts on it.

Annotate ▸ Pre-label All… and Run on All Again pre-label or run the model on the images put away behind
the video; View ▸ Images (N) and Annotate ▸ Worklist would bring the image list and the worklist back
over it. :class:`~app.video.chrome.ModeSwitch` turns the actions off and hides the dock toggles on
entering video mode, and gives them back on leaving it (a plain function of the window's parts, so the
menus' builders need no hook).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

if TYPE_CHECKING:
    from app.host import AppWindow

__all__ = ["image_project_actions", "image_dock_toggles"]


def image_project_actions(window: AppWindow) -> list[QAction]:
    """Annotate's runs over the whole image project (off in video mode, on again after)."""
    actions = getattr(getattr(window, "annotation", None), "actions", None)
    return [actions.prelabel_all, actions.run_all_again] if actions is not None else []


def image_dock_toggles(window: AppWindow) -> list[QAction]:
    """The show/hide entries of the image session's docks (hidden in video mode, shown again after)."""
    worklist = getattr(getattr(window, "annotation", None), "worklist_dock", None)
    docks = [window.image_dock, worklist]
    return [dock.toggleViewAction() for dock in docks if dock is not None]
