"""When the reader of a `fosp` command's output is gone or its disk is full (`fosp_core.cli.main`): tell it
apart from other errors, and point stdout at /dev/null so that the interpreter's last flush says nothing."""

from __future__ import annotations

import os
import sys

__all__ = ["silence_stdout", "stdout_fails"]


def stdout_fails() -> bool:
    """Whether stdout cannot be written: its flush fails, or a newline written to its descriptor does (asked
    only once an error has ended the command; False where it has no descriptor to ask)."""
    try:
        sys.stdout.flush()
    except OSError:
        return True
    try:
        fd = sys.stdout.fileno()
    except (OSError, ValueError):
        return False
    try:
        os.write(fd, b"\n")
    except OSError:
        return True
    return False


def silence_stdout() -> None:
    """The reader of stdout went away: point stdout at /dev/null so the interpreter's final flush
    does not print 'Exception ignored ... BrokenPipeError' (the recipe of Python's signal docs)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout replaced by an object without a descriptor (tests)
        pass
    finally:
        os.close(devnull)
