"""Streams of images or video frames through a Predictor: decoding in a background thread, a bounded
queue (memory stays bounded whatever the input length), batched inference, a progress callback and a
cancel token that stops the run before the next batch starts (so within one batch).

    token = CancelToken()
    for frame, prediction in predict_stream(predictor, iter_image_files(paths), batch_size=4,
                                            progress=print, cancel=token):
        ...  # prediction is None and frame.error says why when the input could not be decoded
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from fosp_core.infer.device_errors import DeviceFailedError

if TYPE_CHECKING:
    from fosp_core.infer.predictor import Predictor
    from fosp_core.infer.result import Prediction

T = TypeVar("T")


@dataclass
class Frame:
    """One decoded input.

    source: the image or video file.
    index: frame number in the video (0 for a still image).
    rgb: RGB uint8 (H, W, 3), or None when decoding failed.
    name: output id (image stem, or `<video stem>_f000123`).
    error: why decoding failed (None when rgb is set).
    note: what the user is told of the file (an animated GIF: only its first frame is used), or None.
    """

    source: Path
    index: int
    rgb: np.ndarray | None
    name: str
    error: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Progress:
    """Reported after every batch: done counts inputs finished (predicted or failed)."""

    done: int
    total: int | None
    failed: int
    current: str


class CancelToken:
    """Thread-safe cancel flag shared between a GUI/CLI and a running stream."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


class _End:
    pass


class _Failure:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


def prefetch(items: Iterable[T], maxsize: int = 8) -> Iterator[T]:
    """Iterate `items` in a daemon thread, at most `maxsize` items ahead of the consumer.

    An exception raised by `items` is re-raised in the consumer at the point it occurred. Closing the
    returned generator (break, garbage collection, an exception) stops the thread promptly.
    """
    q: queue.Queue[Any] = queue.Queue(maxsize=max(1, maxsize))
    stop = threading.Event()

    def put(obj: Any) -> bool:
        while not stop.is_set():
            try:
                q.put(obj, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(item):
                    return
            put(_End())
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            put(_Failure(exc))
        finally:
            close = getattr(items, "close", None)
            if close is not None and stop.is_set():
                try:
                    close()
                except Exception:  # noqa: BLE001
                    pass

    thread = threading.Thread(target=produce, name="fosp-decode", daemon=True)
    thread.start()
    try:
        while True:
            obj = q.get()
            if isinstance(obj, _End):
                return
            if isinstance(obj, _Failure):
                raise obj.exc
            yield obj
    finally:
        stop.set()
        thread.join(timeout=5.0)


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of up to `size` items."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def iter_image_files(paths: Sequence[Path], names: Sequence[str] | None = None) -> Iterator[Frame]:
    """Decode image files in order; unreadable ones come as Frame(rgb=None, error=reason)."""
    from fosp_core.io.images import ImageReadError, read_image

    for i, path in enumerate(paths):
        name = names[i] if names is not None else Path(path).stem
        try:
            loaded = read_image(path)
        except ImageReadError as exc:
            yield Frame(Path(path), 0, None, name, exc.reason)
            continue
        rgb = loaded.rgb
        if rgb.size == 0:
            yield Frame(Path(path), 0, None, name, "image has zero width or height")
            continue
        yield Frame(Path(path), 0, rgb, name, None, loaded.note)


def predict_stream(
    predictor: Predictor,
    frames: Iterable[Frame],
    *,
    batch_size: int | None = None,
    tau: float | None = None,
    need: Any = None,
    total: int | None = None,
    progress: Callable[[Progress], None] | None = None,
    cancel: CancelToken | None = None,
    queue_size: int | None = None,
) -> Iterator[tuple[Frame, Prediction | None]]:
    """Yield (frame, prediction) in input order; prediction is None for frames that failed to decode
    (frame.error set) or whose inference failed (frame.error set to the reason). A GPU that stops
    working raises :class:`~fosp_core.infer.device_errors.DeviceFailedError` (the run stops there).

    Decoding runs in a background thread at most `queue_size` frames (default 2 batches) ahead.
    `cancel` is checked before every batch: after cancel() no new batch starts, so the run stops
    within one batch. `progress` is called after every batch with the running totals.
    """
    bs = max(1, batch_size or predictor.batch_size)
    source = prefetch(frames, maxsize=queue_size or 2 * bs)
    done = failed = 0
    try:
        for group in batched(source, bs):
            if cancel is not None and cancel.cancelled:
                return
            good = [f for f in group if f.rgb is not None]
            results: dict[int, Prediction | None] = {}
            if good:
                try:
                    preds = predictor.predict_batch([f.rgb for f in good], tau=tau, need=need)  # type: ignore[misc]
                except DeviceFailedError:
                    raise  # the GPU failed: every later batch would fail the same way
                except (ValueError, RuntimeError, MemoryError) as exc:
                    for f in good:
                        f.error = f"inference failed: {exc}"
                    preds = [None] * len(good)
                for f, p in zip(good, preds, strict=True):
                    results[id(f)] = p
            for f in group:
                pred = results.get(id(f))
                if pred is None:
                    failed += 1
                done += 1
                yield f, pred
            if progress is not None:
                progress(Progress(done, total, failed, group[-1].name))
    finally:
        source.close()
