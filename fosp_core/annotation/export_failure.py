"""What an image export that failed says of it, beyond the writer's words: for a full disk, or a folder the export
may not write (read-only, no permission: `NOT_WRITABLE`), what was left (the writer writes beside the destination
and moves the dataset in at its end, so the destination is as it was) and what to do. One source for the Export
dialog (`app.annotation.export_worker`) and ``fosp project export``. No Qt here."""

from __future__ import annotations

import errno

__all__ = ["NOT_WRITABLE", "failure_words"]

#: the file system's refusals of a folder the export may not write (a read-only card or share, another user's
#: folder): said with what to do (`failure_words`)
NOT_WRITABLE = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})


def failure_words(exc: BaseException) -> str:
    """`exc`'s words and, for a full disk (the writer's ``disk full``) or a folder it may not write
    (`NOT_WRITABLE`), "; the destination is left as it was: " and what to do. The OSError is looked for down the
    causes: the writer's error says a dead export's copy it removed first in one of its own, raised from the first."""
    cause = exc.__cause__
    while cause is not None and not isinstance(cause, OSError):
        cause = cause.__cause__
    if isinstance(cause, OSError) and cause.errno == errno.ENOSPC:
        return f"{exc}; the destination is left as it was: free some space there or choose another folder"
    if isinstance(cause, OSError) and cause.errno in NOT_WRITABLE:
        return f"{exc}; the destination is left as it was: choose a folder you may write to"
    return str(exc)
