"""Words for a symbolic link that leads nowhere: broken (its target is gone) or a loop (it leads back to
itself, directly or through other links: the system's "Too many levels of symbolic links")."""

from __future__ import annotations

import errno
import os

__all__ = ["dead_link_reason"]


def dead_link_reason(path: str | os.PathLike) -> str | None:
    """"<name> is a link that leads back to itself (a symbolic link loop: ...)" or "<name> is a broken link
    (its target T does not exist): ..." for a symbolic link at `path` that reaches no file; None for
    anything else (a file, a folder, a link that works, nothing there)."""
    name = os.path.basename(os.fspath(path))
    try:
        target = os.readlink(path)
    except OSError:
        return None  # not a link
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return (f"{name} is a link that leads back to itself (a symbolic link loop through {target}): "
                    "remove the link or point it at the file")
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return f"{name} is a broken link (its target {target} does not exist): restore the target or remove the link"
        return None
    return None
