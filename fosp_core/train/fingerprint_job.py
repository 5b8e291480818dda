"""The run's fingerprint of its training images (`trained_images.run_fingerprint`), hashed on a
thread while the run starts, with the digests kept in the run folder for its resumes.

Hashing SMOKE5K's 5053 training photos (114 MB) took 0.35-1.5 s here (`bench/bench_trained_on.py
--smoke5k`, docs/benchmarks-cli.md): a run no longer waits for it before its first iteration. The
fingerprint is needed only when a checkpoint is written (`last.pt`, best.safetensors), and
:meth:`FingerprintJob.result` waits for it then. The digests are written to
``<run dir>/`` :data:`DIGEST_FILE` (path, size, mtime_ns, digest per file) once the fingerprint is
taken, so a resumed run reads again only the files whose size or modification time changed (and
those modified within `fosp_core.trained_on.RACY_NS` of their hashing, never kept). A
digest file that cannot be read is ignored (every file is hashed again). No Qt.

The thread is stopped while the run's DataLoader forks its workers (:meth:`FingerprintJob.paused`,
`Trainer._loop`): a child forked while another thread holds a lock (the import lock, the
allocator's, a file object's) inherits the lock held by no one and can hang on it. The thread stops
between two files (the one it is reading is finished and kept), the workers fork with no thread of
ours alive, and a new thread goes on with the same digest cache, so no file is read twice and the
fingerprint is the same. Chosen over waiting for the whole hashing before the workers start (the run
would wait for it again: 0.35-1.5 s for SMOKE5K) and over a `forkserver` loader context (every
worker would import torch and unpickle the data stream at each run's start).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from fosp_core.train.sources import Source
from fosp_core.train.state import atomic_write_text
from fosp_core.train.trained_images import run_fingerprint
from fosp_core.trained_on import HASH_NAME, DigestCache, TrainedImages

__all__ = ["DIGEST_FILE", "FingerprintJob", "read_digests", "write_digests"]

#: The run folder's file of its training images' digests.
DIGEST_FILE = "trained_digests.json"


def read_digests(path: Path) -> list[tuple[str, int, int, str]]:
    """The (absolute path, size, mtime_ns, digest) rows of digest file `path` (none when it is
    missing or not one)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = data["files"] if isinstance(data, dict) and data.get("hash") == HASH_NAME else []
        known = [(str(p), int(s), int(m), str(d)) for p, s, m, d in rows]
    except (OSError, ValueError, TypeError, KeyError):
        known = []
    return known


def write_digests(path: Path, cache: DigestCache) -> None:
    """Write the digests `cache` answered with (`DigestCache.entries`) to `path`, atomically."""
    atomic_write_text(path, json.dumps({"hash": HASH_NAME, "files": cache.entries()}, separators=(",", ":")))


class _Paused(Exception):
    """Raised by `_PausableCache.digest` between two files once a pause is asked for."""


class _PausableCache(DigestCache):
    """A `DigestCache` whose `digest` raises `_Paused` (before reading a file) once `stopping` is set."""

    def __init__(self, known: Iterable[tuple[str, int, int, str]], stopping: threading.Event) -> None:
        super().__init__(known)
        self.stopping = stopping

    def digest(self, path: str | os.PathLike) -> str | None:
        """See `DigestCache.digest`; raises `_Paused` when the job is stopping."""
        if self.stopping.is_set():
            raise _Paused
        return super().digest(path)


class FingerprintJob:
    """`run_fingerprint(sources, init_from, before, resumed)` on a daemon thread, started at once.

    result(): the fingerprint (waits for the thread; an error it raised is raised here); the first
    call writes the digest file into `run_dir` when that folder exists (a run's start succeeded).
    paused(): a context in which no thread of the job is alive (see the module doc)."""

    def __init__(self, sources: Sequence[Source], init_from: str, before: TrainedImages | None, resumed: bool,
                 run_dir: Path) -> None:
        self.run_dir = run_dir
        self.stopping = threading.Event()
        self.cache = _PausableCache(read_digests(run_dir / DIGEST_FILE), self.stopping)
        self._args = (list(sources), init_from, before, resumed)
        self._result: TrainedImages | None = None
        self._error: BaseException | None = None
        self._written = False
        self.pauses = 0  # times a running thread was stopped (tests)
        self.thread = self._start()

    def _start(self) -> threading.Thread:
        thread = threading.Thread(target=self._work, name="fosp-fingerprint", daemon=True)
        thread.start()
        return thread

    def _work(self) -> None:
        try:
            self._result = run_fingerprint(*self._args, cache=self.cache)
        except _Paused:
            pass  # `resume` starts again; the files hashed are in the cache
        except BaseException as exc:  # noqa: BLE001 - raised again by result(), on the caller's thread
            self._error = exc

    @property
    def done(self) -> bool:
        """The fingerprint is taken (or failed)."""
        return self._result is not None or self._error is not None

    def pause(self) -> None:
        """Stop the thread after the file it is reading; returns once it has ended."""
        if self.thread.is_alive():
            self.stopping.set()
            self.thread.join()
            self.pauses += 1

    def resume(self) -> None:
        """Go on hashing (a new thread) if `pause` stopped it before the end."""
        self.stopping.clear()
        if not self.done and not self.thread.is_alive():
            self.thread = self._start()

    @contextmanager
    def paused(self) -> Iterator[None]:
        """No thread of the job alive inside (a fork then copies no lock it holds); resumed after."""
        self.pause()
        try:
            yield
        finally:
            self.resume()

    def result(self) -> TrainedImages:
        """The fingerprint; see the class doc."""
        self.resume()  # a paused job goes on (a no-op when it runs or is done)
        self.thread.join()
        if self._error is not None:
            raise self._error
        assert self._result is not None
        if not self._written and self.run_dir.is_dir():
            self._written = True
            try:
                write_digests(self.run_dir / DIGEST_FILE, self.cache)
            except OSError:
                pass  # only a resume's speed depends on it
        return self._result
