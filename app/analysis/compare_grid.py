"""The compare grid, laid out like the paper's Fig. 7: image | Focus Map & ground truth | separated
background | separated foreground | prediction. All panels share zoom and pan (linked ViewBoxes)
and the grid exports as one PNG.

The Focus Map and the separated foreground are drawn in the colours the canvas draws them in, those of
the layer stack's "focus map" and foreground-energy layers (the user's choice of colormap included), with
a colour key under each (:mod:`app.analysis.grid_key`).

The panels, their layout (equal columns that zoom and pan together) and the outlines clipped to their
image are :mod:`app.analysis.grid_panels`'s, made when the grid is first shown or used
(:attr:`CompareGrid.built`); this module fills them. The panels' names and titles are
:mod:`app.analysis.grid_titles`'s, the exported picture is drawn by :mod:`app.analysis.grid_picture`."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import shiboken6
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QWidget

from app.analysis.compare_hover import GridHover
from app.analysis.grid_indexed import COLOURS
from app.analysis.grid_maps import ForegroundSum, GridMaps, item_levels
from app.analysis.grid_masks import GridMasks, MaskPictures
from app.analysis.grid_panels import GridPanels
from app.analysis.grid_picture import PANEL_ASPECT, grid_picture
from app.analysis.grid_titles import COLUMNS, COMPARE_TIP, FOREGROUND_WORDS, column_titles, foreground_layer
from app.analysis.legend import meaning, no_map_words, scale_ends
from app.analysis.render import display_array, lookup_table
from fosp_core.analysis.layers import Layer, LayerStack
from fosp_core.infer.result import Prediction

__all__ = ["COLUMNS", "COMPARE_TIP", "PANEL_ASPECT", "CompareGrid", "column_titles", "foreground_layer"]

#: The Focus Map panel's plain picture where the model made none: the ground truth is outlined on it.
_PLAIN = "#3a3a3a"
#: The panels of maps made at the image's size (off the GUI thread where held at the network's grid).
_MAPS: tuple[str, ...] = COLUMNS[1:4]


class CompareGrid(GridPanels):
    """Five linked panels (:class:`~app.analysis.grid_panels.GridPanels`); :meth:`set_content` fills them,
    :meth:`export_png` saves them. Its scalar panels take their colours and levels from `layers` (the
    canvas's layer stack; None: the default layers) and follow its colormaps as they change."""

    def __init__(self, parent: QWidget | None = None, layers: LayerStack | None = None) -> None:
        super().__init__(parent)
        self.layers = layers if layers is not None else LayerStack()
        self.hover = GridHover(self, self.view_boxes, lambda: self._shape)  # the image pixel under the cursor
        self.hover.hovered.connect(self._mark_keys)  # the keys mark its values
        self.hover.left.connect(lambda: self._mark_keys(-1, -1))
        self._levels: dict[str, tuple[float, float]] = {}  # the keyed panels' levels, as last styled
        # the map panels' full-size pictures, made off the GUI thread (app.analysis.grid_maps)
        self.maps = GridMaps({}, {}, self)  # (its panels given by _build)
        self.maps.drawn.connect(lambda _column: self._style_maps())
        self.destroyed.connect(lambda _obj=None, m=self.maps: m.close())
        # the prediction panel's mask and the outlines, made off the GUI thread on huge photos
        self.masks = GridMasks(self._show_masks, self)
        self._masks_of: tuple[object, object] | None = None  # (prediction, label) asked of `masks`
        self._rgb: np.ndarray | None = None  # the image shown (pyqtgraph keeps a view of it)
        self.destroyed.connect(lambda _obj=None, m=self.masks: m.close())
        events = self.layers.events.changed
        events.connect(self._on_layer_changed)
        self.destroyed.connect(lambda _obj=None, e=events, f=self._on_layer_changed: e.disconnect(f))

    def _panels_made(self) -> None:
        """The map panels and their notes go to `maps` (their pictures made off the GUI thread)."""
        self.maps.add_panels({c: self.items[c] for c in _MAPS}, {c: self.view_boxes[COLUMNS.index(c)] for c in _MAPS})

    @property
    def drawing(self) -> set[str]:
        """The panels whose pictures are being made: maps (they say "drawing…"), the prediction's while
        its mask and outline are made on the worker (it says so too), the Focus Map & ground truth's
        while the ground truth's outline is (a label without a prediction: the prediction's panel
        has nothing coming)."""
        prediction, truth = self.masks.awaited if self.masks.pending else (False, False)
        return set(self.maps.waiting) | ({COLUMNS[4]} if prediction else set()) | ({COLUMNS[1]} if truth else set())

    def missing_texts(self) -> dict[str, str]:
        """What the map panels say of a map the model has not, by column (only those that say it)."""
        return self.maps.missing_texts()

    def key_texts(self) -> dict[str, str]:
        """What the colour keys say, by column ("" where nothing is drawn): "Focus Map 0 … 1"."""
        return {title: key.text() for title, key in self.keys.items()}

    def _on_layer_changed(self, name: str, what: str) -> None:
        """The canvas's colours changed: the scalar panels follow (a visibility change can give the
        separated foreground another foreground-energy layer's colours)."""
        if not self._built:  # made later: styled as they are then
            return
        energy = name.startswith("foreground energy")
        if (what == "colormap" and (energy or name == "focus map")) or (what == "visible" and energy):
            self._style_maps()

    def _style_maps(self) -> None:
        """Colour the Focus Map and separated-foreground panels as the canvas does (their layers'
        colormaps, opaque; the Focus Map between its layer's levels) and fill in their keys."""
        focus, energy = self.layers["focus map"], foreground_layer(self.layers)
        relative = Layer(FOREGROUND_WORDS[0], "scalar", colormap=energy.colormap, levels=(0.0, 1.0))
        for column, layer, words in ((COLUMNS[1], focus, (meaning(focus, short=True), meaning(focus))),
                                     (COLUMNS[3], relative, FOREGROUND_WORDS)):
            item, key, picture = self.items[column], self.keys[column], self.maps.picture(column)
            if picture is None or item.image is None:
                key.clear()
                continue
            table = lookup_table("scalar", layer.colormap, translucent=False)
            assert table is not None
            levels = display_array(layer, picture)[1]
            self._levels[column] = (float(levels[0]), float(levels[1]))
            indexed = self.maps.indexed_levels(column)  # drawn from colour indices made for these levels
            if indexed is not None and (indexed != tuple(float(v) for v in levels) or len(table) != COLOURS):
                self.maps.draw_values(column, levels)  # made for others: drawn from the values
            elif indexed is None and (item.levels is None or not np.array_equal(item.levels, levels)):
                item.setLevels(levels)  # drawn again only where they changed (at the next paint)
            item.setLookupTable(table)  # (a table is one object per colormap: lookup_table's cache)
            key.set_scale(words[0], *scale_ends(layer, picture), table[:, :3], f"{words[1]} ({layer.colormap})")
        self._mark_keys(*(self.hover.pixel or (-1, -1)))  # the pixel pointed at, of the maps shown now

    def _mark_keys(self, x: int, y: int) -> None:
        """Mark on each key where the value of pixel (x, y) of its panel's map lies (none off the image)."""
        if not self._built:
            return
        for column, key in self.keys.items():
            picture, (low, high) = self.maps.picture(column), self._levels.get(column, (0.0, 1.0))
            inside = picture is not None and 0 <= y < picture.shape[0] and 0 <= x < picture.shape[1]
            key.set_mark((float(picture[y, x]) - low) / (high - low) if inside and high > low else None)

    def set_content(self, rgb: np.ndarray | None, prediction: Prediction | None, label: np.ndarray | None,
                    threshold: float, keep: str = "plain") -> None:
        """Show image `rgb` (uint8 (H, W, 3)), what `prediction` says at mask `threshold` (the regions
        of rule `keep`) and the ground truth `label` (uint8 (H, W) 0/1/255) when there is one; None
        clears panels."""
        if not self._built:
            if rgb is None:  # nothing shown yet: nothing to clear
                return
            self._build()
        items = self.items
        if rgb is None:
            self.masks.cancel()
            self._masks_of = self._rgb = None
            items[COLUMNS[0]].clear()
            self._show_masks(MaskPictures(None, None, None))
            self.maps.clear()
            self._style_maps()  # no keys
            self._set_titles(column_titles(None))
            self._show_missing(None, (0.0, 0.0))
            self._shape = None
            return
        if self._rgb is not rgb or items[COLUMNS[0]].image is None:  # the same image (a threshold move): its
            items[COLUMNS[0]].setImage(rgb, autoLevels=False, levels=item_levels(rgb, (0, 255)))  # picture stays
        self._rgb = rgb
        fitting = prediction is not None and prediction.shape == rgb.shape[:2]
        self.maps.set_maps(  # the colours follow (_style_maps), drawn once
            {COLUMNS[1]: (prediction.focus_map if fitting else None, (0.0, 1.0)),
             COLUMNS[2]: (prediction.background if fitting else None, (0.0, 255.0)),
             COLUMNS[3]: (ForegroundSum(prediction, self.maps.made) if fitting and prediction.foreground_energy
                          else None, (0.0, 1.0))}, (rgb.shape[1] / 2, rgb.shape[0] / 2))
        self.truth_panel.setRect(QRectF(0, 0, rgb.shape[1], rgb.shape[0]))
        self._show_missing(prediction if fitting else None, (rgb.shape[1] / 2, 0.0))
        labelled = label is not None and label.shape == rgb.shape[:2]
        asked = (prediction if fitting else None, label if labelled else None)
        if self._masks_of is None or any(a is not b for a, b in zip(asked, self._masks_of, strict=True)):
            self._show_masks(MaskPictures(None, None, None))  # another result: nothing of the last one stays
        self._masks_of = asked
        self.mask_note.setPos(rgb.shape[1] / 2, rgb.shape[0] / 2)
        # a threshold move keeps the last mask shown until the new one comes
        self.mask_note.setVisible(self.masks.request(*asked, threshold, keep, rgb.shape[:2]) and fitting
                                  and items[COLUMNS[4]].image is None)
        self._style_maps()
        shown = prediction is not None and prediction.shape == rgb.shape[:2]
        self._set_titles(column_titles(threshold if shown else None, keep, labelled,
                                       prediction.tau if shown and prediction is not None else None))
        shape = (int(rgb.shape[0]), int(rgb.shape[1]))
        if shape != self._shape:
            self._shape = shape
            self.fit()

    def _show_missing(self, prediction: Prediction | None, top: tuple[float, float]) -> None:
        """Say on each map panel whose map `prediction` has not that its model has none (the app asks
        for every map shown: only a model without that stage gives none), the Focus Map's panel plain."""
        focus = prediction is not None and prediction.focus_map is not None
        words: dict[str, str] = {}
        if prediction is not None:
            for column, what, present in ((COLUMNS[1], "Focus Map", focus),
                                          (COLUMNS[2], "separated background", prediction.background is not None),
                                          (COLUMNS[3], "separated foreground", bool(prediction.foreground_energy))):
                if not present:
                    words[column] = no_map_words(what, focus)
        self.maps.set_missing(words, top)
        plain = COLUMNS[1] in words
        self.truth_panel.setBrush(QBrush(QColor(_PLAIN)) if plain else QBrush(Qt.BrushStyle.NoBrush))

    def _show_masks(self, pictures: MaskPictures) -> None:
        """Show the prediction panel's `pictures` (:mod:`app.analysis.grid_masks`) and the outlines."""
        item = self.items[COLUMNS[4]]
        if not shiboken6.isValid(item):  # the window is being torn down: its panels went before a late answer
            return
        if pictures.picture is None:
            item.clear()
        else:
            item.setImage(pictures.picture, autoLevels=False, levels=(0, 255))
        for curve, outline in ((self.prediction_outline, pictures.prediction_outline),
                               (self.gt_outline, pictures.truth_outline)):
            if outline is None:
                curve.setData([], [])
            else:
                x, y, connect = outline
                curve.setData(x, y, connect=connect)
        self.mask_note.setVisible(False)

    def export_png(self, path: str | Path, width: int = 1800) -> bool:
        """Save the grid as one PNG: :meth:`export_picture` in PNG."""
        return self.export_picture(path, "png", width)

    def export_picture(self, path: str | Path, kind: str = "png", width: int = 1800) -> bool:
        """Save the grid as one picture in the format `kind` ("png", "jpg": Qt's writer's name), `width` pixels
        wide (:func:`~app.analysis.grid_picture.grid_picture`: the height follows the image's aspect, within
        :data:`PANEL_ASPECT` either way), rendered offscreen whether or not the grid is shown, once its maps
        are drawn (made off the GUI thread: the events run meanwhile); returns whether the file was written."""
        if not self._built:
            self._build()
        self.maps.wait()
        self.masks.wait()
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        return grid_picture(self, width).save(str(path), kind.upper())
