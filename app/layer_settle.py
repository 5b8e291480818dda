"""The compositor's work once the canvas is still, one step per event-loop turn.

After a view change (a pan or zoom step, a resize) the :class:`~app.layer_compositor.LayerCompositor`
draws each group straight into the composite. Once the canvas has been still for
:data:`~app.layer_compositor.SETTLE_MS` it makes the groups' buffers (so that a brush segment, a
threshold move or an opacity drag then blends them instead of drawing every layer), and the zoom
preview's overview. Drawing every group's buffer in the settle timer's turn took 51-95 ms at
4000x3000 with every analysis layer (``bench/bench_zoom.py --pan``): a stroke or pan started then
waited for all of it. :class:`Settler` queues one step per group instead, run one per event-loop
turn (a zero timer: input that arrived meanwhile is handled first), and a buffer step whose view is
no longer the one shown does nothing (a pan or zoom step came: the rest is abandoned until the
canvas settles again). The previewed zoom's exact drawing (``LayerCompositor.refine``) and the
overview use the same queue.

The settler sees its compositor through :class:`SettleHost` only (a few public methods), so this
module does not import :mod:`app.layer_compositor`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Protocol

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage, QTransform
from PySide6.QtWidgets import QGraphicsView

from app.layer_item import LayerItem

__all__ = ["SettleHost", "Settler"]


class SettleHost(Protocol):
    """What the settler needs of the canvas's compositor (:class:`~app.layer_compositor.LayerCompositor`)."""

    view: QGraphicsView

    @property
    def previewing(self) -> bool:
        """Whether a zoom preview is shown (its buffers wait for the exact drawing)."""
        ...

    @property
    def overview_generation(self) -> int:
        """Counts the overview's invalidations (a layer changed)."""
        ...

    def alive(self) -> bool:
        """False once the view or its layers are deleted."""
        ...

    def showing(self) -> bool:
        """Whether a composite is shown in a non-empty viewport, not a zoom preview."""
        ...

    def wants_overview(self) -> bool:
        """Whether the zoom preview needs an overview."""
        ...

    def roots(self) -> list[LayerItem]:
        """The groups to draw, bottom first."""
        ...

    def group_key(self, root: LayerItem, view_transform: QTransform) -> tuple[object, ...]:
        """What `root`'s buffer depends on besides its items' images (transform, clip)."""
        ...

    def fill_buffer(self, root: LayerItem, view_transform: QTransform, key: tuple[object, ...]) -> None:
        """Draw `root`'s whole buffer if it lacks one and its group was last shown with `key`."""
        ...

    def overview_layout(self, view_transform: QTransform) -> tuple[QImage, QTransform, QTransform] | None:
        """None after taking the composite as the overview (it shows every layer whole); else a
        blank overview image, its transform (layers -> overview) and scene -> overview."""
        ...

    def draw_overview(self, image: QImage, root: LayerItem | None, scene_transform: QTransform) -> None:
        """Draw the background (`root` None) or `root`'s group, unclipped, into overview `image`."""
        ...

    def set_overview(self, image: QImage, transform: QTransform) -> None:
        """Give the zoom preview its overview."""
        ...


class Settler:
    """Steps of a compositor's work run one per event-loop turn (see module doc)."""

    def __init__(self, host: SettleHost) -> None:
        self.host = host
        self.timer = QTimer(host.view, singleShot=True, interval=0, timeout=self.step)
        self._work: list[Callable[[], None]] = []
        self.overview_queued: int | None = None  # the overview generation whose drawing is queued

    @property
    def pending(self) -> int:
        """Steps still queued."""
        return len(self._work)

    def queue(self, steps: list[Callable[[], None]]) -> None:
        self._work.extend(steps)
        self.timer.start()

    def step(self) -> None:
        """Run the next step (the timer's turn), and come back next turn if more are queued."""
        if not self.host.alive():
            return
        if self._work:
            self._work.pop(0)()
        if self._work:
            self.timer.start()

    def cancel(self) -> None:
        self._work = []
        self.timer.stop()
        self.overview_queued = None

    # --- what the steps do ---------------------------------------------------------------------
    def make_buffers(self) -> None:
        """Queue the buffer of every shown group that lacks one (the composite stays as it is), one
        group a step, and the zoom preview's overview if it has none."""
        host = self.host
        if not host.alive():
            return  # the settle timer fired while the window was being torn down
        if not host.showing():
            return  # nothing shown yet, the view was closed, or a zoom goes on
        view_transform = host.view.viewportTransform()
        steps = [functools.partial(self._buffer, root, view_transform, host.group_key(root, view_transform))
                 for root in host.roots()]
        if host.wants_overview() and self.overview_queued != host.overview_generation:
            steps += self._overview_steps(view_transform)
        self.queue(steps)

    def _buffer(self, root: LayerItem, view_transform: QTransform, key: tuple[object, ...]) -> None:
        """Draw `root`'s group buffer if it lacks one and the view is still the one queued for (its
        transform and clip: `key`)."""
        host = self.host
        if (host.previewing or not shiboken6.isValid(root) or host.view.viewportTransform() != view_transform
                or host.group_key(root, view_transform) != key):
            return  # the view moved on (a pan or zoom step): its buffers are made when it settles again
        host.fill_buffer(root, view_transform, key)

    def _overview_steps(self, view_transform: QTransform) -> list[Callable[[], None]]:
        """The preview's overview: the composite if it shows every layer whole, else the steps that
        draw the layers to fit the viewport, one group a step (dropped if a layer changes)."""
        host = self.host
        roots = host.roots()
        layout = host.overview_layout(view_transform)
        if layout is None:
            return []
        image, transform, scene_transform = layout
        generation = self.overview_queued = host.overview_generation

        def draw(root: LayerItem | None) -> None:
            if generation != host.overview_generation or (root is not None and not shiboken6.isValid(root)):
                return  # a layer changed meanwhile
            host.draw_overview(image, root, scene_transform)

        def finish() -> None:
            if generation == host.overview_generation:
                host.set_overview(image, transform)
            self.overview_queued = None

        return [functools.partial(draw, None)] + [functools.partial(draw, root) for root in roots] + [finish]
