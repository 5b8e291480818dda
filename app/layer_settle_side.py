"""The compositor's side of the settler's protocol (`app.layer_settle.SettleHost`): what the work done
while the canvas is still (the groups' buffers, the zoom preview's overview, one step per event-loop
turn) asks of `app.layer_compositor.LayerCompositor`, and the `_Group` (a layer group's buffer) it
fills. Apart from the compositor's repaint (`_refresh`, the zoom and pan steps, `_compose`) because
the settler reaches the compositor through these members only. Code moved from
`app.layer_compositor` unchanged; `SettleSide` is LayerCompositor's base.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import shiboken6
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter, QRegion, QTransform

from app.layer_item import LayerItem
from app.layer_painter import LayerPainter
from app.layer_settle import Settler
from app.zoom_preview import ZoomPreview, fit_transform

__all__ = ["SettleSide"]


@dataclass
class _Group:
    root: LayerItem
    buffer: QImage
    fresh: bool = False  # the buffer holds the group, except `dirty`
    dirty: QRegion = field(default_factory=QRegion)
    key: tuple[object, ...] = ()  # transform and clip the buffer was drawn with (LayerPainter._key)
    #: the view transform the buffer was drawn at: its dirty rows are drawn again at it (within a
    #: key's step of the view's own), so that the buffer stays one picture
    drawn_at: QTransform | None = None



class SettleSide(LayerPainter):
    """The members of `app.layer_settle.SettleHost` (see module doc); the state is LayerCompositor's."""

    # provided by LayerCompositor (annotations only: a method here would shadow its)
    _groups: dict[int, _Group]
    _composite: QImage | None
    _preview: ZoomPreview
    _overview_generation: int
    fast_zoom: bool
    previewing: bool
    settler: Settler
    _draw_group: Callable[[_Group, QTransform], None]

    # --- work while the canvas is still, one step per event-loop turn (app.layer_settle) ---------
    # The settler's view of the compositor: app.layer_settle.SettleHost (documented there).
    def alive(self) -> bool:
        """False once the view or its layer group is deleted (a timer firing during teardown)."""
        return shiboken6.isValid(self.view) and shiboken6.isValid(self.layer_parent)

    roots = LayerPainter._roots
    group_key = LayerPainter._key

    @property
    def overview_generation(self) -> int:
        return self._overview_generation

    def showing(self) -> bool:
        viewport = self.view.viewport()
        return (self._composite is not None and viewport is not None and not viewport.size().isEmpty()
                and not self.previewing)

    def wants_overview(self) -> bool:
        return self.fast_zoom and self._preview.overview is None

    def fill_buffer(self, root: LayerItem, view_transform: QTransform, key: tuple[object, ...]) -> None:
        group = self._groups.get(id(root))
        if group is not None and group.root is root and not group.fresh and group.key == key:
            group.dirty, group.drawn_at = QRegion(self._viewport_rect()), QTransform(view_transform)
            self._draw_group(group, view_transform)
            group.fresh, group.dirty = True, QRegion()

    def overview_layout(self, view_transform: QTransform) -> tuple[QImage, QTransform, QTransform] | None:
        assert self._composite is not None
        area = QRectF()
        for root in self._roots():
            area |= root.scene_area()
        viewport = QRectF(self._viewport_rect())
        if area.isEmpty() or viewport.contains(view_transform.mapRect(area)):
            self._preview.set_overview(self._composite.copy(), self._layer_transform(view_transform))
            return None
        to_layers, _ = self.layer_parent.sceneTransform().inverted()
        transform = fit_transform(to_layers.mapRect(area), viewport.width(), viewport.height())
        return self._new_image(), transform, to_layers * transform

    def draw_overview(self, image: QImage, root: LayerItem | None, scene_transform: QTransform) -> None:
        painter = QPainter(image)
        painter.setRenderHints(self.view.renderHints())
        if root is None:
            self._background(scene_transform)(painter)
        else:  # unclipped: the view box clips its children to what the view shows
            self._draw_items(painter, root, scene_transform, 1.0, clip=False)
        painter.end()

    def set_overview(self, image: QImage, transform: QTransform) -> None:
        self._preview.set_overview(image, transform)

    def make_buffers(self) -> None:
        """Queue the buffer of every shown group that lacks one, one group per event-loop turn (the
        composite stays as it is), and the zoom preview's overview if it has none."""
        self.settler.make_buffers()
