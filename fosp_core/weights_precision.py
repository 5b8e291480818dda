"""The precision a checkpoint's weights are stored in, read from a safetensors header alone (no
tensors, no torch): the Model panel says it beside the precision the model computes in, since every
checkpoint loads into an fp32 model (`fosp_core.checkpoint`: fp16 files load into fp32 models) and
only the Precision setting (autocast, `fosp_core.infer.devices`) changes what the device computes in.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

__all__ = ["stored_precision"]

_NAMES = {"F32": "fp32", "F16": "fp16", "BF16": "bf16", "F64": "fp64"}
_MAX_HEADER = 100 * 2**20  # the safetensors format's own limit on its JSON header


def stored_precision(path: str | Path) -> str:
    """"fp16", "fp32", "bf16" (every floating tensor in it), "mixed" (several), or "" when unknown (not a
    safetensors file, unreadable, no floating tensors). Reads the 8-byte length and the JSON header."""
    try:
        with Path(path).open("rb") as fh:
            (size,) = struct.unpack("<Q", fh.read(8))
            if not 0 < size <= _MAX_HEADER:
                return ""
            header = json.loads(fh.read(size))
    except (OSError, ValueError, struct.error):
        return ""
    if not isinstance(header, dict):
        return ""
    kinds = {str(v.get("dtype")) for k, v in header.items() if k != "__metadata__" and isinstance(v, dict)}
    floating = {_NAMES[k] for k in kinds if k in _NAMES}
    if not floating:
        return ""
    return floating.pop() if len(floating) == 1 else "mixed"
