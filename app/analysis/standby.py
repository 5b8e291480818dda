"""The image analysis idles while a video is open (the window in video mode, ``window.video.active``):
the image it works on is hidden behind the frame, so a τ, threshold or region-rule move, a model
(re)loading, a result arriving, another image becoming current or a run asked for must neither run
the model on that image nor draw its layers over the frame nor change its scores or hover readout.

:class:`VideoStandby` says whether the analysis idles now and keeps what it let wait: that the view
is out of date (`owed`), and the run asked for meanwhile (the controller's
:class:`~app.analysis.run_plan.RunPlanner` keeps that, as for a model loading). When video mode
ends (``VideoMode.left``) the controller brings the view up to date as it would have done meanwhile
(:meth:`app.analysis.controller.AnalysisController.video_left`).

A Run on All under way when a video opens pauses (``AnalysisController.video_entered``,
:mod:`app.analysis.runs`): the image in progress finishes, the rest wait as a run asked for meanwhile,
and the model panel says so; back in image mode it goes on with the images left of those it was started
on, once that image is done (:meth:`app.analysis.run_plan.RunPlanner.pause_all`). It
would otherwise hold the CPU (every core the model's thread pool takes) while the user plays the video,
for results nobody sees until image mode.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.host import AppWindow

__all__ = ["VideoStandby"]


class VideoStandby:
    """See the module doc."""

    def __init__(self, window: AppWindow) -> None:
        self.window = window
        self.owed = False  # something the view would have followed waited for image mode

    @property
    def active(self) -> bool:
        """A video is open: the image analysis idles."""
        video = getattr(self.window, "video", None)  # made after the analysis view
        return video is not None and bool(video.active)

    def waits(self) -> bool:
        """True while a video is open, and then the view is owed an update: the caller does nothing now."""
        if self.active:
            self.owed = True
            return True
        return False

    def take(self) -> bool:
        """Whether the view is owed an update (now forgotten)."""
        owed, self.owed = self.owed, False
        return owed
