"""Which images a checkpoint was trained on: a fingerprint of its training images in its metadata.

A training run hashes the bytes of every training image file once, on a thread beside its start
(`fingerprint`, `fosp_core.train.fingerprint_job`: a resume reads only the files that changed),
keeps the fingerprint in its state (`last.pt`, so a resumed run and `fosp train-export` keep it)
and writes it into every checkpoint it saves under the metadata key :data:`METADATA_KEY`, as the
JSON of :meth:`TrainedImages.to_metadata`: ``{"hash": "blake2b-8", "n": N, "complete": true,
"start_unrecorded": false, "hashes": "<N sorted 16-hex-digit digests, concatenated>"}``. 6144
images take 98 KB.

The hash is of the file's bytes, not of its decoded pixels: it is fast (no decoding), and a photo
re-saved (a JPEG written again, even at the same quality) counts as another photo.

`trained_on(checkpoint, paths)` says, for each image file, True (trained on), False (held out) or
None (unknown): a checkpoint without a fingerprint (the fp16 default weights exported before
fingerprints existed, a foreign file) knows nothing, and nothing it scores is "held out". A
fingerprint is incomplete (`complete` false) when some training images could not be hashed (a
synthetic source, an unreadable file): images outside it are then unknown, not held out. Image
digests are cached by path, modification time and size (`DigestCache`), so each file is read once.
No Qt.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DIGEST_HEX", "HASH_NAME", "METADATA_KEY", "DigestCache", "TrainedImages", "TrainedOnCount",
           "TRAINED_ON_THIS_IMAGE", "checkpoint_trained_images", "bytes_digest", "count_trained", "file_digest", "fingerprint",
           "image_note", "trained_on", "trained_word"]

#: The checkpoint metadata key of the fingerprint.
METADATA_KEY = "trained_on"
HASH_NAME = "blake2b-8"
#: The metrics box's line when the model was trained on the image shown (`image_note`).
TRAINED_ON_THIS_IMAGE = "trained on this image: its scores flatter the model"
DIGEST_BYTES = 8
DIGEST_HEX = 2 * DIGEST_BYTES
_CHUNK = 1 << 20


def file_digest(path: str | os.PathLike) -> str:
    """blake2b (8 bytes) of the file's bytes, as 16 hex digits; OSError when it cannot be read."""
    h = hashlib.blake2b(digest_size=DIGEST_BYTES)
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def bytes_digest(data: bytes) -> str:
    """`file_digest` of a file that would hold `data`."""
    return hashlib.blake2b(data, digest_size=DIGEST_BYTES).hexdigest()


@dataclass(frozen=True)
class TrainedImages:
    """The images a checkpoint was trained on, as digests of their files (`file_digest`).

    complete: every training image is in `hashes` (False: some could not be hashed, so an image
        outside them may still have been trained on); start_unrecorded: a fine-tune whose starting
        weights carry no fingerprint (what they were trained on is not known).
    """

    hashes: frozenset[str]
    complete: bool = True
    start_unrecorded: bool = False

    def to_metadata(self) -> str:
        """The compact JSON the checkpoint metadata holds (see the module doc)."""
        return json.dumps({"hash": HASH_NAME, "n": len(self.hashes), "complete": self.complete,
                           "start_unrecorded": self.start_unrecorded, "hashes": "".join(sorted(self.hashes))},
                          separators=(",", ":"))

    @classmethod
    def from_metadata(cls, text: str) -> TrainedImages:
        """Read `to_metadata`'s JSON; ValueError when it is not one."""
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("hash") != HASH_NAME or not isinstance(data.get("hashes"), str):
            raise ValueError(f"not a {HASH_NAME} training-image fingerprint")
        joined = data["hashes"]
        if len(joined) % DIGEST_HEX or len(joined) // DIGEST_HEX != data.get("n", len(joined) // DIGEST_HEX):
            raise ValueError("training-image fingerprint: its hashes do not match its count")
        hashes = frozenset(joined[i:i + DIGEST_HEX] for i in range(0, len(joined), DIGEST_HEX))
        return cls(hashes, _flag(data.get("complete")), _flag(data.get("start_unrecorded")))

    def union(self, other: TrainedImages) -> TrainedImages:
        """The images of both (a fine-tune: its own and its start's; a resumed run: before and now)."""
        return TrainedImages(self.hashes | other.hashes, self.complete and other.complete,
                             self.start_unrecorded or other.start_unrecorded)

    def verdict(self, digest: str | None) -> bool | None:
        """True: trained on; False: held out; None: unknown (no digest, or not in an incomplete set)."""
        if digest is None:
            return None
        if digest in self.hashes:
            return True
        # held out only when every image trained on is known: not when some could not be hashed, nor
        # when the starting weights' own training images are not recorded (they may hold this one)
        return False if self.complete and not self.start_unrecorded else None


def _flag(value: object) -> bool:
    """A JSON flag: true, or the string "true" (hand-edited metadata); anything else is false."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


#: A digest of a file modified less than this before it was hashed is not kept (racily clean, as
#: git's index says): a second write of the same size in the same tick of the file system's clock
#: (2 s on FAT, 1 s on HFS+ and some network shares, a few ms on ext4) keeps the modification time,
#: and the first bytes' digest would be answered for the new ones.
RACY_NS = 2_000_000_000


class DigestCache:
    """`file_digest` by (path, modification time, size): an unchanged file is read once. Thread-safe.

    known: (absolute path, size, mtime_ns, digest) rows kept from before (`entries`, e.g. a run
    folder's digest file): a file whose size and modification time still match is not read again.
    A file modified within :data:`RACY_NS` of its hashing is read again each time (never kept)."""

    def __init__(self, known: Iterable[tuple[str, int, int, str]] = ()) -> None:
        self._digests: dict[tuple[str, int, int], str] = {(p, m, s): d for p, s, m, d in known}
        self._used: dict[str, tuple[str, int, int]] = {}  # path -> its key last answered
        self._lock = threading.Lock()
        self.reads = 0  # files hashed (tests)

    def entries(self) -> list[tuple[str, int, int, str]]:
        """(absolute path, size, mtime_ns, digest) of every file this cache was asked about and
        answered, as last answered (not the rows it was given but never asked about), sorted by path."""
        with self._lock:
            return sorted((p, s, m, self._digests[(p, m, s)]) for p, m, s in self._used.values())

    def digest(self, path: str | os.PathLike) -> str | None:
        """The file's digest, or None when it cannot be read."""
        try:
            st = os.stat(path)
        except OSError:
            return None
        key = (os.path.abspath(path), st.st_mtime_ns, st.st_size)
        with self._lock:
            known = self._digests.get(key)
            if known is not None:
                self._used[key[0]] = key
                return known
        hashed_at = time.time_ns()
        try:
            found = file_digest(path)
        except OSError:
            return None
        with self._lock:
            self.reads += 1
            if st.st_mtime_ns < hashed_at - RACY_NS:  # settled: a later write shows in its time or size
                self._digests[key] = found
                self._used[key[0]] = key
            else:
                self._used.pop(key[0], None)
        return found

    def clear(self) -> None:
        """Forget every digest."""
        with self._lock:
            self._digests.clear()
            self._used.clear()


#: The cache `trained_on` uses unless given another.
DEFAULT_CACHE = DigestCache()


def fingerprint(paths: Iterable[str | os.PathLike], complete: bool = True,
                cache: DigestCache | None = None) -> TrainedImages:
    """The fingerprint of training image files `paths`; a file that cannot be read makes it
    incomplete, as `complete=False` does (a source whose images are not files)."""
    cache = cache if cache is not None else DigestCache()
    hashes: set[str] = set()
    for path in paths:
        digest = cache.digest(path)
        if digest is None:
            complete = False
        else:
            hashes.add(digest)
    return TrainedImages(frozenset(hashes), complete)


def checkpoint_trained_images(checkpoint: str | os.PathLike) -> TrainedImages | None:
    """The fingerprint in a checkpoint's metadata, or None when it has none (or one unreadable). The
    format is told by the file's first bytes, not its name (`checkpoint_files.is_safetensors`): a FoSp
    safetensors file renamed .pt keeps its record. A torch file (zip or pickle, whatever its name) is not
    read: its metadata never holds one, and reading it is a whole torch.load (230-440 ms for a run's 82 MB
    last.pt of the default model)."""
    from fosp_core.checkpoint_files import CheckpointError, is_safetensors, read_metadata

    try:
        if not is_safetensors(Path(checkpoint)):
            return None
        text = read_metadata(Path(checkpoint)).get(METADATA_KEY)
    except (CheckpointError, OSError, ValueError):
        return None
    if not text:
        return None
    try:
        return TrainedImages.from_metadata(text)
    except (ValueError, TypeError):
        return None


def trained_on(checkpoint: str | os.PathLike | TrainedImages | None, paths: Sequence[str | os.PathLike],
               cache: DigestCache | None = None) -> list[bool | None]:
    """For each image file: True (the checkpoint was trained on it), False (held out) or None
    (unknown: the checkpoint records no training images, or the file cannot be read). `checkpoint`
    may be the fingerprint already read; the files are hashed only when there is one."""
    known = checkpoint if isinstance(checkpoint, TrainedImages) or checkpoint is None \
        else checkpoint_trained_images(checkpoint)
    if known is None:
        return [None] * len(paths)
    cache = cache if cache is not None else DEFAULT_CACHE
    return [known.verdict(cache.digest(p)) for p in paths]


@dataclass(frozen=True)
class TrainedOnCount:
    """How many of some images a checkpoint was trained on, held out of, or cannot say."""

    trained: int
    held_out: int
    unknown: int


def count_trained(verdicts: Iterable[bool | None]) -> TrainedOnCount:
    """Count `trained_on`'s verdicts."""
    got = list(verdicts)
    return TrainedOnCount(sum(v is True for v in got), sum(v is False for v in got), sum(v is None for v in got))


def trained_word(verdict: bool | None) -> str:
    """"yes", "no" or "" (unknown): a CSV cell."""
    return "" if verdict is None else ("yes" if verdict else "no")


def image_note(checkpoint: str | os.PathLike | TrainedImages | None, path: str | os.PathLike,
               cache: DigestCache | None = None) -> str:
    """:data:`TRAINED_ON_THIS_IMAGE` when `checkpoint` was trained on image `path`, else "" (held
    out or unknown): the Model dock's metrics box adds it to its note."""
    return TRAINED_ON_THIS_IMAGE if trained_on(checkpoint, [path], cache)[0] else ""
