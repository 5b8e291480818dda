"""Words for a symbolic link that leads nowhere: broken (its target is gone) or a loop (it leads back to
itself, directly or through other links: the system's "Too many levels of symbolic links"); and for a
file a program keeps its state in that is there but no file to read (`not_a_file_reason`)."""

from __future__ import annotations

import errno
import os

__all__ = ["dead_link_reason", "not_a_file_reason"]


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


def not_a_file_reason(path: str | os.PathLike, what: str, anew: str) -> str | None:
    """Why the state file `path` (`what`: "the project's file") is there but no file to read - a symbolic
    link leading nowhere (a drive not mounted, a folder moved), a folder, anything else - or None (a file, a
    link to one, nothing there). Such a file is never to be taken for a missing one, whose place the program
    fills anew (`anew`: "start the project anew"): what it held would be forgotten, a link replaced for good."""
    try:
        if os.path.isfile(path) or not os.path.lexists(path):
            return None
        if os.path.islink(path):
            target = os.path.realpath(path)
            if not os.path.exists(target):
                return (f"is a symbolic link to {target}, which does not exist (a drive not mounted, a folder "
                        f"moved?): make it reachable again, or remove the link to {anew}")
            return f"is a symbolic link to {target}, which is not a file: link it to {what}"
        kind = "a folder" if os.path.isdir(path) else "not a regular file"
        return f"is {kind}, not {what}: move it out of the project folder and open it again"
    except OSError as exc:  # a folder that cannot be looked into: told as it is
        return f"cannot be read: {exc.strerror or exc}"
