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
for the big loops), so the first zoom finds them ready. :meth:`DisplayPyramid.level` returns a level
at once: kept, waited for, or rendered on the caller's thread (as pyqtgraph would); the canvas asks
with :meth:`DisplayPyramid.request` instead for an image over :data:`GUI_RENDER_PIXELS`: the level is
rendered on the background thread ahead of the prefetched ones and the caller is told when it is
ready, meanwhile it shows what is ready (:meth:`DisplayPyramid.nearest_ready`, or
:func:`preview_level`: every n-th pixel, at most :data:`PREVIEW_PIXELS` read). A 12-megapixel map's
level took 60-140 ms on the GUI thread, on every image switch and on a zoom step after layers were
shown (waiting for the background thread). A hidden layer keeps only the level it showed. Any change
of the image, levels or table drops the pyramid (:meth:`clear`); a level rendered for a dropped one
is thrown away.

:func:`render_level` is pyqtgraph's ``ImageItem.render`` (0.14, row-major, no NaNs) as a function of
the image, levels, lookup table and factors, with the block means of uint8 layers from
:func:`~app.display_downsample.block_mean_indices` and those of RGB layers from
:func:`~app.display_downsample.block_mean_rgb` (the same values): the same QImage,
``tests/gui/test_display_pyramid.py`` compares them.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future

import numpy as np
import pyqtgraph.functions as pg_functions
from pyqtgraph import functions_qimage
from PySide6.QtGui import QImage

from app.display_downsample import block_mean_indices, block_mean_rgb

__all__ = ["GUI_RENDER_PIXELS", "PREVIEW_PIXELS", "STAND_IN_FINER", "DisplayPyramid", "Factors", "fit_factors", "preview_level",
           "render_level", "wanted_factors"]

Factors = tuple[int, int]  # (xds, yds): image columns, rows per screen pixel
GUI_RENDER_PIXELS = 1 << 20  # images larger than this (pixels) have their levels rendered in the background
PREVIEW_PIXELS = 1 << 17  # what a preview reads at most (pixels): a millisecond or two
STAND_IN_FINER = 4  # a stand-in has at most this many times the pixels of the level it stands in for


def _lower_priority() -> None:
    """The rendering thread yields to the GUI and to inference (Linux: a thread's own nice value). Linux only:
    elsewhere the native thread id is no process id (macOS: setpriority of that number is another process's)."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


class _Worker:
    """One background thread rendering levels in order, a level the view waits for first."""

    def __init__(self) -> None:
        self._jobs: deque[tuple[Future[QImage | None], Callable[[], QImage | None]]] = deque()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def submit(self, render: Callable[[], QImage | None], urgent: bool = False) -> Future[QImage | None]:
        """A future of `render()`, run after the jobs queued (`urgent`: before them)."""
        future: Future[QImage | None] = Future()
        with self._wake:
            self._jobs = deque(job for job in self._jobs if not job[0].cancelled())  # dropped images
            (self._jobs.appendleft if urgent else self._jobs.append)((future, render))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="display-pyramid", daemon=True)
                self._thread.start()
            self._wake.notify()
        return future

    def hurry(self, future: Future[QImage | None]) -> None:
        """Move `future`'s job, if still queued, before the others."""
        with self._wake:
            for i, job in enumerate(self._jobs):
                if job[0] is future:
                    del self._jobs[i]
                    self._jobs.appendleft(job)
                    return

    def _run(self) -> None:
        _lower_priority()
        while True:
            with self._wake:
                while not self._jobs:
                    self._wake.wait()
                future, render = self._jobs.popleft()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = render()
            except BaseException as exc:  # noqa: BLE001 - handed to whoever waits for the level
                future.set_exception(exc)
            else:
                future.set_result(result)
            del future, render


_worker: _Worker | None = None
_worker_lock = threading.Lock()


def _background() -> _Worker:
    global _worker
    with _worker_lock:
        if _worker is None:
            _worker = _Worker()
        return _worker


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


def preview_level(image: np.ndarray, levels: np.ndarray | None, lut: np.ndarray | None,
                  factors: Factors) -> QImage | None:
    """A stand-in for the level at `factors` while it is rendered: every n-th pixel of `image` (n at
    least the factors, and such that at most :data:`PREVIEW_PIXELS` are read) through `levels` and
    `lut`; the item draws it over the whole image, as it draws a level. None where pyqtgraph's own
    road would draw the level (see :func:`render_level`)."""
    if image.size == 0 or (lut is not None and (not isinstance(lut, np.ndarray) or lut.dtype != np.uint8)):
        return None
    height, width = image.shape[:2]
    step = max(factors[0], factors[1], math.ceil(math.sqrt(height * width / PREVIEW_PIXELS)))
    sample = image[step // 2::step, step // 2::step]
    if sample.dtype == np.bool_:
        sample = sample.view(np.uint8)
    if sample.dtype.kind == "f" and np.isnan(sample).any():
        return None
    if sample.ndim == 3 and sample.shape[-1] == 1:
        sample = sample[..., 0]
    qimage = functions_qimage.try_make_qimage(np.ascontiguousarray(sample), levels=levels, lut=lut)
    return qimage if isinstance(qimage, QImage) else None


class DisplayPyramid:
    """One layer's rendered QImages by downsample factors (see module doc). Used on the GUI thread.

    The image, levels and table handed to :meth:`level`, :meth:`request` and :meth:`prefetch` are the
    item's arrays as it holds them: the app never changes them in place (a new array comes through
    ``setImage``, which calls :meth:`clear`), so the background thread may read them."""

    def __init__(self) -> None:
        self._levels: dict[Factors, Future[QImage | None]] = {}
        self._generation = 0
        self.enabled = True

    def __len__(self) -> int:
        return len(self._levels)

    @property
    def generation(self) -> int:
        """+1 at each :meth:`clear`: a level or a notice of another generation is of a dropped image."""
        return self._generation

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

    def ready(self, factors: Factors) -> Future[QImage | None] | None:
        """The level at `factors` if it is rendered (its future, done), else None."""
        future = self._levels.get(factors)
        return future if future is not None and future.done() and not future.cancelled() else None

    def request(self, factors: Factors, image: np.ndarray, levels: np.ndarray | None, lut: np.ndarray | None,
                notify: Callable[[int, Factors], None]) -> None:
        """Have the level at `factors` rendered on the background thread before the prefetched ones
        (queued already: moved ahead), and call ``notify(generation, factors)`` once it is done
        (from that thread; the caller hands it on to its own)."""
        future = self._levels.get(factors)
        if future is None or future.cancelled():
            future = self._submit(factors, image, levels, lut, urgent=True)
        else:
            _background().hurry(future)
        generation = self._generation
        future.add_done_callback(lambda _f: notify(generation, factors))

    def nearest_ready(self, factors: Factors) -> QImage | None:
        """The rendered level nearest `factors` (a coarser one first among equals), if any; none
        over :data:`STAND_IN_FINER` times its pixels (drawing a 12 MP level scaled down costs what
        rendering the level would)."""
        wanted = factors[0] * factors[1]

        def distance(key: Factors) -> tuple[float, bool]:
            return (abs(math.log(key[0] * key[1] / wanted)), key[0] * key[1] < wanted)

        for key in sorted((k for k in self._levels if k[0] * k[1] * STAND_IN_FINER >= wanted), key=distance):
            future = self.ready(key)
            if future is not None and future.exception() is None and future.result() is not None:
                return future.result()
        return None

    def prefetch(self, wanted: Iterable[Factors], image: np.ndarray, levels: np.ndarray | None,
                 lut: np.ndarray | None) -> None:
        """Render the `wanted` levels not kept yet on the background thread, in that order."""
        for factors in wanted:
            if factors not in self._levels:
                self._submit(factors, image, levels, lut, urgent=False)

    def _submit(self, factors: Factors, image: np.ndarray, levels: np.ndarray | None, lut: np.ndarray | None,
                urgent: bool) -> Future[QImage | None]:
        generation = self._generation

        def render() -> QImage | None:
            if generation != self._generation:
                return None  # dropped meanwhile (its future was cancelled or replaced)
            return render_level(image, levels, lut, factors)

        future = self._levels[factors] = _background().submit(render, urgent)
        return future


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
