"""glibc's allocator, set for training: freed memory stays in the heap between steps.

With glibc's defaults every large activation buffer of a CPU training step is its own ``mmap``, and
freeing it returns the pages to the kernel, so the next step faults them in again: on a 2-core AMD
EPYC (fp32, 256² crops, batch 8) a step took 2.62 s, a quarter of it in the kernel. Raising the
mmap threshold and the trim threshold keeps those buffers in the heap: 1.93 s, the same losses to
the last digit (``docs/training.md``, "Small machine"). The cost is that the process holds on to its
peak memory until it exits, which a training run does anyway.

:func:`tune_for_training` calls ``mallopt`` once at the start of ``fosp train`` / ``fosp train-ssl``.
It does nothing on other C libraries, when the user has set glibc's own malloc variables (they
win), or when ``FOSP_MALLOC=default``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import platform
import sys

__all__ = ["ENV_SWITCH", "SETTINGS", "tune_for_training"]

ENV_SWITCH = "FOSP_MALLOC"

# mallopt parameters (malloc.h) and values; mallopt takes a C int, hence 2**31 - 1 at most.
M_TRIM_THRESHOLD = -1
M_TOP_PAD = -2
M_MMAP_THRESHOLD = -3
SETTINGS: tuple[tuple[str, int, int], ...] = (
    ("mmap threshold", M_MMAP_THRESHOLD, 2**31 - 1),
    ("trim threshold", M_TRIM_THRESHOLD, 2**31 - 1),
    ("top pad", M_TOP_PAD, 1 << 30),
)
_USER_VARIABLES = ("GLIBC_TUNABLES", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_",
                   "MALLOC_ARENA_MAX", "LD_PRELOAD")


def tune_for_training(environ: dict[str, str] | None = None) -> str:
    """Apply :data:`SETTINGS` where it applies; returns a one-line description of what was done."""
    env = os.environ if environ is None else environ
    if env.get(ENV_SWITCH, "").strip().lower() in {"default", "0", "off", "no"}:
        return f"allocator: glibc defaults ({ENV_SWITCH}={env[ENV_SWITCH]})"
    if not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc":
        return "allocator: unchanged (not glibc)"
    user = [name for name in _USER_VARIABLES if env.get(name)]
    if user:
        return f"allocator: unchanged ({', '.join(user)} set)"
    name = ctypes.util.find_library("c") or "libc.so.6"
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return f"allocator: unchanged (no mallopt in {name})"
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    refused = [label for label, param, value in SETTINGS if mallopt(param, value) != 1]
    if refused:
        return f"allocator: glibc refused {', '.join(refused)}"
    return f"allocator: glibc keeps freed memory between steps ({ENV_SWITCH}=default for its defaults)"
