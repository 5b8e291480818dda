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
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
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


class FingerprintJob:
    """`run_fingerprint(sources, init_from, before, resumed)` on a daemon thread, started at once.

    result(): the fingerprint (waits for the thread; an error it raised is raised here); the first
    call writes the digest file into `run_dir` when that folder exists (a run's start succeeded)."""

    def __init__(self, sources: Sequence[Source], init_from: str, before: TrainedImages | None, resumed: bool,
                 run_dir: Path) -> None:
        self.run_dir = run_dir
        self.cache = DigestCache(read_digests(run_dir / DIGEST_FILE))
        self._result: TrainedImages | None = None
        self._error: BaseException | None = None
        self._written = False
        self.thread = threading.Thread(target=self._work, args=(list(sources), init_from, before, resumed),
                                       name="fosp-fingerprint", daemon=True)
        self.thread.start()

    def _work(self, sources: list[Source], init_from: str, before: TrainedImages | None, resumed: bool) -> None:
        try:
            self._result = run_fingerprint(sources, init_from, before, resumed, cache=self.cache)
        except BaseException as exc:  # noqa: BLE001 - raised again by result(), on the caller's thread
            self._error = exc

    def result(self) -> TrainedImages:
        """The fingerprint; see the class doc."""
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
