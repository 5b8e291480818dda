"""A map kept at the network's grid and brought to the image's pixels only where it is read.

The foreground-feature energies and the side outputs carry no detail finer than the network's cells
(the net runs at 512 px: stride 4 is 128 cells), yet at the image's size four float32 maps of an
8000 x 6000 photo are 768 MB. :class:`GridMap` keeps the map as the network made it, over its canvas
(:class:`~fosp_core.infer.tiling.Letterbox`), and interpolates on demand exactly as
:func:`~fosp_core.infer.tiling.maps_from_letterbox` does: bilinear (align_corners=False) to the
canvas, crop to the image's part, bilinear to the image (antialiased when that shrinks).

* :meth:`GridMap.full` is that very call: the same array the prediction used to hold.
* ``gm[rows]`` / ``gm[rows, cols]`` compute only the pixels asked for, through the same two bilinear
  steps written as per-axis weights (equal to ``full()`` within float rounding); ``gm[y, x]``
  (:meth:`GridMap.at`, a hover readout) reads the few grid cells the pixel is made of
  (:mod:`fosp_core.infer.grid_taps`).
* ``np.asarray(gm)`` is ``full()``; ``shape``, ``dtype``, ``min``/``max``, comparisons and
  arithmetic behave as on the full array, so readers written for arrays keep working.

Three kinds (session 27): ``"float"`` (the energies, side outputs and Focus Map, float32 (H, W));
``"mask"`` (the τ hole: a 0/1 grid taken nearest to the image, bool (H, W)); ``"rgb"`` (the separated
background: a (C, h, w) grid, bilinear, clamped and rounded to uint8 (H, W, C)). ``full()`` of each
is the old full-size array bit for bit (the same torch calls; a "mask" through torch's nearest
source indices, looked up in numpy).

Tiled predictions assemble their maps at the image's size from overlapping windows; they are held
whole (:meth:`GridMap.whole`: no geometry, no interpolation).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from fosp_core.infer.grid_taps import axis_weights, nearest, point_nearest, point_weights

#: What each kind of map is at the image's size.
KINDS: tuple[str, ...] = ("float", "mask", "rgb")
_DTYPES = {"float": np.float32, "mask": np.bool_, "rgb": np.uint8}

if TYPE_CHECKING:  # (torch and cv2 load with the first interpolation: the app starts without them)
    from fosp_core.infer.tiling import Letterbox


def _index(key: int | slice | np.integer, n: int) -> np.ndarray:
    if isinstance(key, slice):
        return np.arange(n)[key]
    i = operator.index(key)
    if not -n <= i < n:
        raise IndexError(f"index {i} is out of bounds for an axis of size {n}")
    return np.array([i % n])


@dataclass(frozen=True, eq=False)
class GridMap:
    """A map over an image of ``geom.src_h`` x ``geom.src_w`` pixels, held as `grid` (h, w) (kind
    "rgb": (C, h, w)), the network's map over its canvas (see the module doc); `geom` None: `grid`
    is the map itself. `squash`: the grid holds logits, the map is their sigmoid after interpolation
    (side outputs). `unit`: the map is clamped to [0, 1] after interpolation (the Focus Map, a
    probability resampled as one). `kind`: "float", "mask" or "rgb" (module doc). `banded`: readers that
    draw the whole map (Export View) may read it in bands of rows (within float rounding of
    ``full()``); False for the maps that were full-size arrays before session 27 (Focus Map, hole,
    background), which such readers take whole, bit-identical. `edge` (kind "mask"): the map is the
    mask's one-pixel boundary (its pixels with a 4-neighbour outside, the image's border counting as
    outside: ``fosp_core.analysis.results.tau_contour`` of the mask), made with ``full()`` (the τ
    contour, drawn off the GUI thread: :meth:`boundary`)."""

    grid: np.ndarray
    geom: Letterbox | None
    squash: bool = False
    kind: str = "float"
    unit: bool = False
    banded: bool = True
    edge: bool = False
    _stats: dict[str, float] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")

    def boundary(self) -> GridMap:
        """This mask's one-pixel boundary as a map of the same grid (kind "mask"; see `edge`)."""
        if self.kind != "mask":
            raise ValueError(f"a boundary is of a mask, not of a {self.kind!r} map")
        return GridMap(self.grid, self.geom, kind="mask", banded=False, edge=True)

    @classmethod
    def whole(cls, array: np.ndarray) -> GridMap:
        """`array` (H, W) held as it is (a tiled prediction's map, already at the image's size)."""
        return cls(np.ascontiguousarray(array, np.float32), None)

    # -- what an array reader asks ------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        """(H, W) of the image; (H, W, C) for kind "rgb"."""
        g = self.geom
        if g is None:
            return tuple(int(n) for n in self.grid.shape)
        return (g.src_h, g.src_w) if self.kind != "rgb" else (g.src_h, g.src_w, int(self.grid.shape[0]))

    @property
    def dtype(self) -> np.dtype:
        return np.dtype(_DTYPES[self.kind])

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape))

    def __len__(self) -> int:
        return self.shape[0]

    @property
    def nbytes(self) -> int:
        """Bytes held: the grid's (what the map costs in a cache), not the image's."""
        return int(self.grid.nbytes)

    @property
    def is_whole(self) -> bool:
        """True when the grid is the map itself (no interpolation)."""
        return self.geom is None

    def full(self) -> np.ndarray:
        """The map at the image's size (float32 (H, W), bool (H, W) or uint8 (H, W, C) by kind), as
        ``maps_from_letterbox`` and the old ``build_prediction`` made it."""
        if self.geom is None:
            if self.edge:
                return self._edge(self.grid.astype(bool))
            return self.grid if not self.squash else (1.0 / (1.0 + np.exp(-self.grid))).astype(np.float32)
        import torch

        from fosp_core.infer.tiling import maps_from_letterbox

        if self.kind == "mask":  # nearest: torch's source indices, looked up (no float map of the image)
            return self._edge(self._nearest_cells(np.arange(self.geom.src_h), np.arange(self.geom.src_w)))
        grid = torch.from_numpy(self.grid)
        if self.kind == "rgb":  # (C, h, w): the background's clamp and rounding (in place), channels
            # last; all channels in one call (one at a time rounded 13 of 8 M values differently)
            t = maps_from_letterbox(grid, self.geom, "bilinear")
            return np.ascontiguousarray(t.clamp_(0, 255).round_().to(torch.uint8).permute(1, 2, 0).numpy())
        t = maps_from_letterbox(grid[None], self.geom, "bilinear")[0]
        if self.squash:
            t = t.sigmoid_()
        if self.unit:
            t = t.clamp_(0, 1)
        return np.ascontiguousarray(t.numpy())

    def _nearest_cells(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """A "mask" (with a geometry) at those rows and columns: nearest (never antialiased), grid ->
        canvas, crop, -> image, as index lookups."""
        g, (gh, gw) = self.geom, self.grid.shape[-2:]
        assert g is not None
        ry = nearest(gh, g.canvas_h, nearest(g.new_h, g.src_h, rows))
        rx = nearest(gw, g.canvas_w, nearest(g.new_w, g.src_w, cols))
        cells = self.grid if self.grid.dtype == np.bool_ else self.grid >= 0.5
        return np.ascontiguousarray(np.take(np.take(cells, ry, axis=0), rx, axis=1))

    def _edge(self, mask: np.ndarray) -> np.ndarray:
        """`mask` (bool (H, W), this map without `edge`), or its boundary where `edge`."""
        if not self.edge or mask.size == 0:
            return mask
        padded = np.pad(mask, 1, mode="constant", constant_values=False)
        interior = padded[:-2, 1:-1] & padded[2:, 1:-1] & padded[1:-1, :-2] & padded[1:-1, 2:]
        return mask & ~interior

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        a = self.full()
        return a if dtype is None else a.astype(dtype)

    def _antialiased(self) -> bool:
        g = self.geom  # maps_from_letterbox antialiases the last step when it shrinks either side
        return g is None or g.src_h < g.new_h or g.src_w < g.new_w

    def region(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """(len(rows), len(cols)[, C]): the map at those image rows and columns, computed from the
        grid alone (equal to ``full()[np.ix_(rows, cols)]`` within float rounding; a "mask" exactly,
        an "rgb" within one level where the rounding falls on a half)."""
        g, (gh, gw) = self.geom, self.grid.shape[-2:]
        if self.edge:  # a pixel's neighbours decide: read whole (no reader asks it pixel by pixel)
            return self.full()[np.ix_(rows, cols)]
        if g is not None and self.kind == "mask":
            return self._nearest_cells(rows, cols)
        if g is None or self._antialiased():  # whole, or a small image: its full map is small
            return self.full()[np.ix_(rows, cols)]
        wy = axis_weights(gh, g.canvas_h, g.new_h, g.src_h, rows)
        wx = axis_weights(gw, g.canvas_w, g.new_w, g.src_w, cols)
        if self.kind == "rgb":
            out = np.stack([wy @ c.astype(np.float32) @ wx.T for c in self.grid], axis=-1)
            return np.clip(np.rint(out), 0, 255).astype(np.uint8)
        out = wy @ self.grid.astype(np.float32) @ wx.T
        if self.squash:
            out = 1.0 / (1.0 + np.exp(-out))
        if self.unit:
            out = np.clip(out, 0, 1)
        return out.astype(np.float32)

    def at(self, y: int, x: int) -> Any:
        """The map at image pixel (x, y) (row `y`, column `x`; negative counts from the end), read
        from the few grid cells it is made of: O(1) whatever the image's size (a hover readout).
        np.float32 (kind "float"), np.bool_ ("mask") or uint8 (C,) ("rgb"), equal to ``full()[y, x]``
        within float rounding (a "mask" exactly; an "rgb" within one level where the rounding falls on a
        half)."""
        h, w = self.shape[:2]
        if not (-h <= y < h and -w <= x < w):
            raise IndexError(f"pixel ({x}, {y}) is out of bounds of a map of {w} x {h}")
        y, x = y % h, x % w
        if self.edge:  # on the boundary: in the mask with a 4-neighbour out (the border counting as out)
            inside = self._cell(y, x)
            return np.bool_(inside and not all(0 <= v < h and 0 <= u < w and self._cell(v, u)
                                               for v, u in ((y - 1, x), (y + 1, x), (y, x - 1), (y, x + 1))))
        g = self.geom
        if self.kind == "mask":
            return np.bool_(self._cell(y, x))
        if g is None:  # the map itself
            value = self.grid[y, x]
            return value if not self.squash else np.float32(1.0 / (1.0 + np.exp(-float(value))))
        gh, gw = self.grid.shape[-2:]
        aa1, aa3 = g.canvas_h < gh or g.canvas_w < gw, self._antialiased()  # as maps_from_letterbox's steps
        rows, wy = point_weights(gh, g.canvas_h, g.new_h, g.src_h, y, aa1, aa3)
        cols, wx = point_weights(gw, g.canvas_w, g.new_w, g.src_w, x, aa1, aa3)
        cells = self.grid[..., rows, :][..., cols].astype(np.float64)  # (len(rows), len(cols)) [per channel]
        value = np.asarray(wy) @ cells @ np.asarray(wx)
        if self.kind == "rgb":
            return np.clip(np.rint(value), 0, 255).astype(np.uint8)
        value = float(value)
        if self.squash:
            value = 1.0 / (1.0 + np.exp(-value))
        if self.unit:
            value = min(max(value, 0.0), 1.0)
        return np.float32(value)

    def _cell(self, y: int, x: int) -> bool:
        """A "mask" map (without `edge`) at image pixel (x, y), in bounds: the grid cell it is taken from."""
        g = self.geom
        if g is not None:
            gh, gw = self.grid.shape[-2:]
            y = point_nearest(gh, g.canvas_h, point_nearest(g.new_h, g.src_h, y))
            x = point_nearest(gw, g.canvas_w, point_nearest(g.new_w, g.src_w, x))
        value = self.grid[y, x]
        return bool(value if self.grid.dtype == np.bool_ else value >= 0.5 if g is not None else value)

    def __getitem__(self, key: Any) -> Any:
        h, w = self.shape[:2]
        parts = key if isinstance(key, tuple) else (key,)
        if len(parts) == 2 and all(isinstance(p, int | np.integer) for p in parts):
            return self.at(int(parts[0]), int(parts[1]))  # one pixel (a hover): from its grid cells
        if len(parts) == 1:
            parts = (parts[0], slice(None))
        if len(parts) != 2 or not all(isinstance(p, slice | int | np.integer) for p in parts):
            return self.full()[key]  # fancy indexing, or a channel index of an "rgb" map
        out = self.region(_index(parts[0], h), _index(parts[1], w))
        if not isinstance(parts[1], slice):
            out = out[:, 0]
        if not isinstance(parts[0], slice):
            out = out[0]
        return out

    def _stat(self, name: str) -> float:
        if name not in self._stats:
            full = self.full()
            empty = full.size == 0
            self._stats["min"] = float("nan") if empty else float(full.min())
            self._stats["max"] = float("nan") if empty else float(full.max())
            self._stats["any"] = bool(full.any())
        return self._stats[name]

    def note_stats(self, full: np.ndarray) -> None:
        """Remember ``min``/``max``/``any`` from `full`, this map's :meth:`full` made elsewhere (the
        app upsamples a shown layer on a worker thread: the legend's range then costs nothing)."""
        if not self._stats and full.shape == self.shape:
            empty = full.size == 0
            self._stats.update(min=float("nan") if empty else float(full.min()),
                               max=float("nan") if empty else float(full.max()), any=bool(full.any()))

    def max(self, axis: Any = None, out: Any = None, **kwargs: Any) -> Any:
        """The map's largest value (remembered: later calls cost nothing)."""
        if axis is not None or out is not None or kwargs:
            return np.max(self.full(), axis=axis, out=out, **kwargs)
        return np.float32(self._stat("max"))

    def min(self, axis: Any = None, out: Any = None, **kwargs: Any) -> Any:
        """The map's smallest value (remembered)."""
        if axis is not None or out is not None or kwargs:
            return np.min(self.full(), axis=axis, out=out, **kwargs)
        return np.float32(self._stat("min"))

    def any(self) -> bool:
        """True when some pixel is not 0."""
        return bool(self._stat("any"))

    def all(self) -> bool:
        return bool(self.full().all())

    def astype(self, dtype: Any, copy: bool = True) -> np.ndarray:
        return self.full().astype(dtype)

    def __getattr__(self, name: str) -> Any:
        """Any other ndarray attribute (``sum``, ``mean``, ``copy``, ``view``, ...) of ``full()``."""
        if name.startswith("_") or name in ("grid", "geom", "squash", "kind", "unit", "banded", "edge"):
            raise AttributeError(name)
        return getattr(self.full(), name)


def _delegate(op: Callable[[Any, Any], Any], reflected: bool = False) -> Callable[[GridMap, Any], Any]:
    def method(self: GridMap, other: Any) -> Any:
        other = other.full() if isinstance(other, GridMap) else other
        return op(other, self.full()) if reflected else op(self.full(), other)

    return method


for _name, _op in (("lt", operator.lt), ("le", operator.le), ("gt", operator.gt), ("ge", operator.ge),
                   ("eq", operator.eq), ("ne", operator.ne), ("and", operator.and_), ("or", operator.or_),
                   ("xor", operator.xor), ("add", operator.add), ("sub", operator.sub), ("mul", operator.mul),
                   ("truediv", operator.truediv)):
    setattr(GridMap, f"__{_name}__", _delegate(_op))
for _name, _op in (("radd", operator.add), ("rsub", operator.sub), ("rmul", operator.mul),
                   ("rtruediv", operator.truediv)):
    setattr(GridMap, f"__{_name}__", _delegate(_op, reflected=True))


for _name, _uop in (("invert", operator.invert), ("neg", operator.neg), ("abs", operator.abs)):
    setattr(GridMap, f"__{_name}__", lambda self, _f=_uop: _f(self.full()))
GridMap.__hash__ = object.__hash__  # type: ignore[method-assign]  # (an __eq__ set after the class)


def full_size(values: np.ndarray | GridMap) -> np.ndarray:
    """`values` at the image's size: an array as it is, a :class:`GridMap` interpolated."""
    return values.full() if isinstance(values, GridMap) else values
