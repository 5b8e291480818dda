"""OpenCV's own log lines, kept off stderr while fosp_core's readers decode with it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["quiet_opencv"]

_quiet_lock = threading.Lock()
_quiet_calls = 0
_level_before = 0


@contextmanager
def quiet_opencv() -> Iterator[None]:
    """OpenCV logs nothing meanwhile (its decoders' "[ERROR:0@0.1] global grfmt_tiff.cpp:117 TIFF_Error ..."
    lines on stderr, beside the reader's own error); its level is given back when the last such block of
    any thread ends (the level is one for the whole process)."""
    import cv2

    global _quiet_calls, _level_before
    logging = cv2.utils.logging
    with _quiet_lock:
        if _quiet_calls == 0:
            _level_before = logging.getLogLevel()
            logging.setLogLevel(logging.LOG_LEVEL_SILENT)
        _quiet_calls += 1
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet_calls -= 1
            if _quiet_calls == 0:
                logging.setLogLevel(_level_before)
