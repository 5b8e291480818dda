"""The exit codes of every `fosp` command: one meaning per code (the README's "Exit codes").

    0   OK             done: everything asked for was done (a report printed, outputs written)
    1   FAILED         the command or some of its inputs failed (an unreadable image, a write error,
                       a locked project, a non-empty destination without --overwrite); what could be
                       done was done and each failure is named
    2   USAGE          usage error or missing input: bad arguments, a path that does not exist or is
                       not what the command reads (no dataset, no annotation project, no checkpoint),
                       an output that cannot be written, checked before any work
    3   NOTHING_TO_DO  the inputs are valid but give nothing to do: no image found, every output there
                       already, no mask to import (none matching, or every one kept: people's work there)
                       or export, no image to convert or evaluate; nothing is written
    130 INTERRUPTED    Ctrl+C; files already finished are complete, none is partial

A report (`fosp info`, `fosp dataset stats`, `fosp project status`) has always something to say,
even "0 images": it exits 0.
"""

from __future__ import annotations

import enum
import sys

__all__ = ["ExitCode", "fail"]


class ExitCode(enum.IntEnum):
    """Exit status of a `fosp` command (an int: `sys.exit` and scripts read it as the number)."""

    OK = 0
    FAILED = 1
    USAGE = 2
    NOTHING_TO_DO = 3
    INTERRUPTED = 130


def fail(message: str, code: ExitCode) -> ExitCode:
    """Say "error: `message`" on stderr and return `code` (a command's ``return fail(..., ExitCode.USAGE)``)."""
    print(f"error: {message}", file=sys.stderr)
    return code
