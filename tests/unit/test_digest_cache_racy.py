"""A digest is not trusted for a file changed again within its modification time's granularity.

`DigestCache` keys a digest by (path, mtime_ns, size). A file written again with the same size in
the same clock tick as the hash (1-2 s on FAT, HFS+, SMB shares; a few ms on ext4) keeps its key:
the old digest would be answered for the new bytes, in this process and, through the run folder's
digest file, in every resume. Like git's racily-clean index entries, a digest of a file modified
within `RACY_NS` of its hashing is answered but not kept."""

from __future__ import annotations

import os
from pathlib import Path

from fosp_core.trained_on import RACY_NS, DigestCache, file_digest


def _same_tick_rewrite(path: Path, data: bytes) -> None:
    """Write `data` (same size) and give the file back its modification time: a second write within
    the granularity of the file system's clock."""
    st = path.stat()
    path.write_bytes(data)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_mtime_ns == st.st_mtime_ns and path.stat().st_size == st.st_size


def test_a_file_rewritten_in_the_same_tick_is_hashed_again(tmp_path: Path) -> None:
    image = tmp_path / "a.jpg"
    image.write_bytes(b"one photo")
    cache = DigestCache()
    assert cache.digest(image) == file_digest(image)
    _same_tick_rewrite(image, b"two photo")
    assert cache.digest(image) == file_digest(image)  # the new bytes' digest, not the first one's
    assert cache.entries() == []  # and a run folder's digest file does not keep it for a resume


def test_a_resume_does_not_trust_a_digest_taken_in_the_files_last_tick(tmp_path: Path) -> None:
    image = tmp_path / "a.jpg"
    image.write_bytes(b"one photo")
    first = DigestCache()
    first.digest(image)
    resumed = DigestCache(first.entries())  # what the digest file kept
    _same_tick_rewrite(image, b"two photo")
    assert resumed.digest(image) == file_digest(image)


def test_a_settled_file_is_read_once_and_kept(tmp_path: Path) -> None:
    image = tmp_path / "a.jpg"
    image.write_bytes(b"one photo")
    old = image.stat().st_mtime_ns - 2 * RACY_NS
    os.utime(image, ns=(old, old))
    cache = DigestCache()
    assert cache.digest(image) == cache.digest(image) == file_digest(image)
    assert cache.reads == 1
    assert [row[3] for row in cache.entries()] == [file_digest(image)]
    resumed = DigestCache(cache.entries())
    assert resumed.digest(image) == file_digest(image) and resumed.reads == 0
