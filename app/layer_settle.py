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
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QRectF, QTimer
from PySide6.QtGui import QPainter, QRegion, QTransform

from app.layer_item import LayerItem
from app.zoom_preview import fit_transform

if TYPE_CHECKING:
    from app.layer_compositor import LayerCompositor

__all__ = ["Settler"]


class Settler:
    """Steps of a compositor's work run one per event-loop turn (see module doc)."""

    def __init__(self, compositor: LayerCompositor) -> None:
        self.compositor = compositor
        self.timer = QTimer(compositor.view, singleShot=True, interval=0, timeout=self.step)
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
        if not self.compositor._alive():
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
        c = self.compositor
        if not c._alive():
            return  # the settle timer fired while the window was being torn down
        viewport = c.view.viewport()
        if c._composite is None or viewport is None or viewport.size().isEmpty() or c.previewing:
            return  # nothing shown yet, the view was closed, or a zoom goes on
        view_transform = c.view.viewportTransform()
        steps = [functools.partial(self._buffer, root, view_transform, c._key(root, view_transform))
                 for root in c._roots()]
        if c.fast_zoom and c._preview.overview is None and self.overview_queued != c._overview_generation:
            steps += self._overview_steps(view_transform)
        self.queue(steps)

    def _buffer(self, root: LayerItem, view_transform: QTransform, key: tuple[object, ...]) -> None:
        """Draw `root`'s group buffer if it lacks one and the view is still the one queued for (its
        transform and clip: `key`)."""
        c = self.compositor
        if (c.previewing or not shiboken6.isValid(root) or c.view.viewportTransform() != view_transform
                or c._key(root, view_transform) != key):
            return  # the view moved on (a pan or zoom step): its buffers are made when it settles again
        group = c._groups.get(id(root))
        if group is not None and group.root is root and not group.fresh and group.key == key:
            group.dirty = QRegion(c._viewport_rect())
            c._draw_group(group, view_transform)
            group.fresh, group.dirty = True, QRegion()

    def _overview_steps(self, view_transform: QTransform) -> list[Callable[[], None]]:
        """The preview's overview: the composite if it shows every layer whole, else the steps that
        draw the layers to fit the viewport, one group a step (dropped if a layer changes)."""
        c = self.compositor
        assert c._composite is not None
        roots = c._roots()
        area = QRectF()
        for root in roots:
            area |= root.scene_area()
        viewport = QRectF(c._viewport_rect())
        if area.isEmpty() or viewport.contains(view_transform.mapRect(area)):
            c._preview.set_overview(c._composite.copy(), c._layer_transform(view_transform))
            return []
        to_layers, _ = c.layer_parent.sceneTransform().inverted()
        transform = fit_transform(to_layers.mapRect(area), viewport.width(), viewport.height())
        scene_transform = to_layers * transform  # scene -> overview
        image = c._new_image()
        generation = self.overview_queued = c._overview_generation

        def draw(root: LayerItem | None) -> None:
            if generation != c._overview_generation or (root is not None and not shiboken6.isValid(root)):
                return  # a layer changed meanwhile
            painter = QPainter(image)
            painter.setRenderHints(c.view.renderHints())
            if root is None:
                c._background(scene_transform)(painter)
            else:  # unclipped: the view box clips its children to what the view shows
                c._draw_items(painter, root, scene_transform, 1.0, clip=False)
            painter.end()

        def finish() -> None:
            if generation == c._overview_generation:
                c._preview.set_overview(image, transform)
            self.overview_queued = None

        return [functools.partial(draw, None)] + [functools.partial(draw, root) for root in roots] + [finish]
