"""The Export dialog's failure words come from one place, the CLI's (`fosp_core.annotation.export_failure`): the
dialog's worker (`app.annotation.export_worker`) kept a copy of `failure_words` and `NOT_WRITABLE`, which a test
could only pin to say the same today. The dialog's words are pinned by tests/gui/*export* (full disk, read-only)."""

from __future__ import annotations

import errno

from app.annotation import export_worker
from fosp_core.annotation import export_failure


def test_the_dialog_uses_the_shared_failure_words_not_a_copy() -> None:
    assert export_worker.failure_words is export_failure.failure_words
    assert export_worker.NOT_WRITABLE is export_failure.NOT_WRITABLE


def test_the_dialogs_words_for_a_full_disk_and_a_read_only_folder() -> None:
    """What the dialog shows (its tests pin the same): the writer's error raised from the OSError."""

    def raised(code: int) -> Exception:
        try:
            try:
                raise OSError(code, "refused")
            except OSError as cause:
                raise RuntimeError("cannot write in /d") from cause
        except RuntimeError as exc:
            return exc

    assert export_worker.failure_words(raised(errno.ENOSPC)) == (
        "cannot write in /d; the destination is left as it was: free some space there or choose another folder")
    for code in (errno.EROFS, errno.EACCES, errno.EPERM):
        assert export_worker.failure_words(raised(code)) == (
            "cannot write in /d; the destination is left as it was: choose a folder you may write to")
    assert export_worker.failure_words(ValueError("other")) == "other"
