"""Which weights a checkpoint holds, whatever its file: the digest a pre-label's stamp names them by.

A checkpoint's file digest (`fosp_core.annotation.prelabel.checkpoint_digest`) changes with anything in
the file: ``fosp train-export`` writes the card's name and the run into the metadata, so the same
weights exported under another name are another file. `weights_digest` reads a safetensors file's
tensors instead - each one's name, dtype, shape and bytes, in name order (a writer's tensor order does
not count) - with the model's ``kind``, ``model_name`` and ``config`` (parsed: how its JSON is spaced
does not count) from the metadata, which say what those tensors compute; the rest of the metadata (the
run, the card, the fingerprint of the training images, the version that wrote it) is left out. Other
files (``.pt``, ``.pth``) and files that are no safetensors give "": not known, their file digest says
which model they are. A file whose every fp32 tensor holds exact fp16 values (fp16 weights saved at fp32: a
fine-tune's run folder keeps the starting weights so when no validation beat them) is read as those fp16 values:
the same weights, the same model (`_as_half`); any other fp32 file digests its bytes as they are. Read once per (path, modification time, size), as `fosp_core.trained_on.DigestCache`
keeps file digests (a file written within `RACY_NS` of its reading is read again).
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import struct
import threading
import time
from collections.abc import Mapping
from typing import Any

import numpy as np

from fosp_core.trained_on import DIGEST_BYTES, RACY_NS

__all__ = ["weights_digest"]

#: the model keys of a FoSp checkpoint's metadata that say what its tensors compute (`fosp_core.checkpoint`)
MODEL_KEYS = ("kind", "model_name", "config")

_HEADER_MAX = 100_000_000  # safetensors' own limit on the header


def _model_words(meta: Mapping[str, Any]) -> bytes:
    words: dict[str, Any] = {}
    for key in MODEL_KEYS:
        value = meta.get(key)
        if key == "config" and isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                pass  # as written
        words[key] = value
    return json.dumps(words, sort_keys=True, separators=(",", ":")).encode()


def _read(path: str | os.PathLike) -> str:
    """The weights' digest (blake2b, 16 hex digits, as file digests) of a safetensors file; "" when the
    file is none or cannot be read."""
    try:
        with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
            if len(data) < 8:
                return ""
            (size,) = struct.unpack("<Q", data[:8])
            if size > min(_HEADER_MAX, len(data) - 8):
                return ""
            header = json.loads(bytes(data[8:8 + size]))
            if not isinstance(header, dict):
                return ""
            meta = header.pop("__metadata__", None) or {}
            h = hashlib.blake2b(_model_words(meta if isinstance(meta, dict) else {}), digest_size=DIGEST_BYTES)
            start = 8 + size
            view = memoryview(data)
            spans: dict[str, memoryview] = {}
            try:
                for name in sorted(header):
                    info = header[name]
                    begin, end = (int(v) for v in info["data_offsets"])
                    if not 0 <= begin <= end <= len(data) - start:
                        return ""
                    spans[name] = view[start + begin:start + end]
                halved = _as_half(header, spans)
                for name, span in spans.items():
                    dtype, body = ("F16", halved[name]) if name in halved else (header[name]["dtype"], span)
                    h.update(json.dumps([name, dtype, header[name]["shape"]]).encode())
                    h.update(body)
            finally:
                for span in spans.values():  # before the map closes: it refuses while a view is held
                    span.release()
                view.release()
            return h.hexdigest()
    except (OSError, ValueError, KeyError, TypeError, struct.error):  # not a safetensors file (an empty one too)
        return ""


def _as_half(header: Mapping[str, Any], spans: Mapping[str, memoryview]) -> dict[str, bytes]:
    """Name -> the fp16 bytes of each F32 tensor, when every F32 tensor of the file holds exact fp16 values (fp16
    weights saved at fp32: a fine-tune's run folder keeps the starting weights so when no validation beat them);
    {} when any does not (a trained fp32 file: digested as it is, as before)."""
    halved: dict[str, bytes] = {}
    for name, span in spans.items():
        if header[name].get("dtype") != "F32":
            continue
        if len(span) % 4:
            return {}
        full = np.frombuffer(span, dtype="<f4")
        half = full.astype("<f2")
        if not np.array_equal(half.astype("<f4").view("<u4"), full.view("<u4")):  # bit for bit: -0.0, NaN too
            return {}
        halved[name] = half.tobytes()
    return halved


class _WeightsCache:
    """`_read` by (absolute path, modification time, size); thread-safe. `reads`: files read (tests)."""

    def __init__(self) -> None:
        self._digests: dict[tuple[str, int, int], str] = {}
        self._lock = threading.Lock()
        self.reads = 0

    def digest(self, path: str | os.PathLike) -> str:
        try:
            st = os.stat(path)
        except OSError:
            return ""
        key = (os.path.abspath(path), st.st_mtime_ns, st.st_size)
        with self._lock:
            known = self._digests.get(key)
        if known is not None:
            return known
        read_at = time.time_ns()
        found = _read(path)
        with self._lock:
            self.reads += 1
            if found and st.st_mtime_ns < read_at - RACY_NS:  # settled: a later write shows in its time or size
                self._digests[key] = found
        return found


_WEIGHTS = _WeightsCache()


def weights_digest(path: str | os.PathLike) -> str:
    """The digest of the weights in the checkpoint at `path` (see the module doc); "" when not known
    (not a safetensors file, unreadable). Cached per (path, modification time, size)."""
    return _WEIGHTS.digest(path)
