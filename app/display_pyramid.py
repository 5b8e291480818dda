"""A layer's display pyramid: what pyqtgraph's ImageItem shows at each downsample factor, kept.

An ImageItem with ``autoDownsample`` shows an image larger than the screen as block means at factors
(xds, yds) = how many image pixels fall on a screen pixel, and renders the QImage again whenever a
zoom step changes the factors: for a 12-megapixel float map (probability, Focus Map, foreground
energy) the float64 block means and the lookup take 60-120 ms per layer on our CPUs, so a zoom step
crossing a factor with ten such layers shown took seconds.

:class:`DisplayPyramid` keeps one rendered QImage per factor (Indexed8 for single-channel layers: a
byte a pixel of the level, so factors 1-4 of a 12 MP map hold about 17 MB; RGB888 for the separated
background): a factor seen once is never rendered again for the same image, levels and lookup table.
:meth:`DisplayPyramid.prefetch` renders the factors a zoom from fit to 1:1 will need on a background
thread (one for the whole app, at a lower priority where the system allows; numpy releases the GIL
for the big loops), so the first zoom finds them ready; a factor asked for before its turn is
rendered at once on the caller's thread (the GUI's, as pyqtgraph would), one being rendered is
waited for. A hidden layer keeps only the level it showed. Any change of the image, levels or table drops the pyramid (:meth:`clear`);
a level rendered for a dropped one is thrown away.

:func:`render_level` is pyqtgraph's ``ImageItem.render`` (0.14, row-major, no NaNs) as a function of
the image, levels, lookup table and factors, with the block means of uint8 layers from
:func:`~app.display_downsample.block_mean_indices` and those of RGB layers from
:func:`~app.display_downsample.block_mean_rgb` (the same values): the same QImage,
``tests/gui/test_display_pyramid.py`` compares them.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
import pyqtgraph.functions as pg_functions
from pyqtgraph import functions_qimage
from PySide6.QtGui import QImage

from app.display_downsample import block_mean_indices, block_mean_rgb

__all__ = ["DisplayPyramid", "Factors", "fit_factors", "render_level", "wanted_factors"]

Factors = tuple[int, int]  # (xds, yds): image columns, rows per screen pixel

_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def _lower_priority() -> None:
    """The rendering thread yields to the GUI and to inference (Linux: a thread's own nice value)."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


def _background() -> ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="display-pyramid",
                                           initializer=_lower_priority)
            atexit.register(_executor.shutdown, wait=False, cancel_futures=True)
        return _executor


def _is_byte_index_layer(image: np.ndarray, levels: np.ndarray | None, lut: object) -> bool:
    """A 2-D uint8/bool image through a 256-entry uint8 table at levels (0, 255): the binary and
    error layers, whose block means :func:`block_mean_indices` computes with integers."""
    return (image.ndim == 2 and image.dtype.itemsize == 1 and image.dtype.kind in "bu"
            and isinstance(lut, np.ndarray) and lut.shape[0] == 256 and lut.dtype == np.uint8
            and levels is not None and np.array_equal(np.asarray(levels, np.float64), (0.0, 255.0)))


def _is_byte_rgb_layer(image: np.ndarray, levels: np.ndarray | None, lut: object) -> bool:
    """A uint8 RGB image at levels (0, 255) without a table (the separated background)."""
    return (image.ndim == 3 and image.shape[2] == 3 and image.dtype == np.uint8 and lut is None
            and levels is not None and np.asarray(levels).shape == (2,)
            and np.array_equal(np.asarray(levels, np.float64), (0.0, 255.0)))


def render_level(image: np.ndarray, levels: np.ndarray | None, lut: np.ndarray | None,
                 factors: Factors) -> QImage | None:
    """The QImage pyqtgraph's ImageItem (row-major, ``autoDownsample``) renders for `image` (2-D,
    or (H, W, 3|4)) at `levels` through `lut` (uint8 (N, 1|3|4) or None) when the view asks for
    `factors`; None where pyqtgraph would take another road (NaNs, a non-uint8 table, images its
    ``makeARGB`` draws): the caller renders those as pyqtgraph does."""
    xds, yds = factors
    if image.size == 0 or (lut is not None and (not isinstance(lut, np.ndarray) or lut.dtype != np.uint8)):
        return None
    if image.dtype.kind == "f" and np.isnan(image.min()):
        return None
    small = image.shape[0] < yds or image.shape[1] < xds
    if _is_byte_index_layer(image, levels, lut) and xds * yds > 1 and not small:
        data, levels = block_mean_indices(image, xds, yds), None
    elif _is_byte_rgb_layer(image, levels, lut) and xds * yds > 1 and not small:
        data, levels = block_mean_rgb(image, xds, yds), None
    else:
        data = pg_functions.downsample(image, xds, axis=1)
        data = pg_functions.downsample(data, yds, axis=0)
        if data.size == 0:
            return None
    if data.ndim == 3 and data.shape[-1] == 1:
        data = data[..., 0]
    qimage = functions_qimage.try_make_qimage(data, levels=levels, lut=lut)
    return qimage if isinstance(qimage, QImage) else None


class DisplayPyramid:
    """One layer's rendered QImages by downsample factors (see module doc). Used on the GUI thread.

    The image, levels and table handed to :meth:`level` and :meth:`prefetch` are the item's arrays
    as it holds them: the app never changes them in place (a new array comes through ``setImage``,
    which calls :meth:`clear`), so the background thread may read them."""

    def __init__(self) -> None:
        self._levels: dict[Factors, Future[QImage | None]] = {}
        self._generation = 0
        self.enabled = True

    def __len__(self) -> int:
        return len(self._levels)

    def clear(self) -> None:
        """Drop every level (the image, levels or table changed)."""
        self._generation += 1
        for future in self._levels.values():
            future.cancel()
        self._levels = {}

    def keep_only(self, factors: Factors) -> None:
        """Drop every level but the one at `factors` (the layer was hidden: what it showed stays
        for when it is shown again, the rest is memory)."""
        for key in [key for key in self._levels if key != factors]:
            self._levels.pop(key).cancel()

    def level(self, factors: Factors, image: np.ndarray, levels: np.ndarray | None,
              lut: np.ndarray | None) -> QImage | None:
        """The rendered level at `factors`: kept, waited for, or rendered now and kept."""
        future = self._levels.get(factors)
        if future is not None and not future.cancel():  # done, or being rendered: wait for it
            return future.result()
        future = Future()
        future.set_result(render_level(image, levels, lut, factors))
        self._levels[factors] = future
        return future.result()

    def prefetch(self, wanted: Iterable[Factors], image: np.ndarray, levels: np.ndarray | None,
                 lut: np.ndarray | None) -> None:
        """Render the `wanted` levels not kept yet on the background thread, in that order."""
        executor = _background()
        for factors in wanted:
            if factors in self._levels:
                continue
            self._levels[factors] = executor.submit(self._render_if_current, self._generation,
                                                    lambda f=factors: render_level(image, levels, lut, f))

    def _render_if_current(self, generation: int, render: Callable[[], QImage | None]) -> QImage | None:
        if generation != self._generation:
            return None  # dropped meanwhile (its future was cancelled or replaced)
        return render()


def fit_factors(image_shape: tuple[int, int], viewport: tuple[int, int]) -> int:
    """The downsample factor at zoom to fit of an image (H, W) in a viewport (width, height)."""
    height, width = image_shape
    scale = min(viewport[0] / max(1, width), viewport[1] / max(1, height))
    return max(1, int(1.0 / scale)) if scale > 0 else 1


def wanted_factors(current: Factors, fit: int) -> list[Factors]:
    """The square factors a zoom between one step below fit and 1:1 meets, the current one first,
    then the others nearest first."""
    top = max(fit + 1, current[0], current[1])
    factors = [(d, d) for d in range(1, top + 1)]
    return sorted(factors, key=lambda f: (f != current, abs(f[0] - current[0])))
