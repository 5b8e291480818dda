"""A journal fsync that fails with ENOSPC (a file system that allocates at writeback: a full disk shows
only then) is a full disk, not a failing one. Its reason said "written, but cannot make it durable
(the journal's fsync failed: disk full; ...)", and the words matched "cannot make it durable" first:
the button read "written, but cannot make it durable" and the advice "Check the disk ... (it reported
an I/O error ...)". Now they say the disk is full, to free space, and where the edit is kept. The
reason is the one the save thread makes (`mask_saves._sync_journal` over a real journal, ``os.fsync``
failing with ENOSPC)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from app.save_problems import SaveProblem
from fosp_core.annotation import mask_saves
from fosp_core.annotation.save_copies import MaskParts
from fosp_core.annotation.save_worker import SETTLE_KEY, SaveJob
from fosp_core.session import OpenError


def _journal_fsync_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: int) -> str:
    journal = tmp_path / "changes.jsonl"
    journal.write_bytes(b'{"generation": 0, "entry": {}}\n')

    def fsync(fd: int) -> None:
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr(os, "fsync", fsync)
    job = SaveJob(1, SETTLE_KEY, journal, MaskParts(None), 0, 0, settles={"img01": (1, 1)})
    mask_saves._sync_journal(job)  # noqa: SLF001 - the save thread's journal fsync
    monkeypatch.undo()
    assert job.error is not None
    return job.error.reason


def _problem(tmp_path: Path, reason: str, logged: tuple[str, ...] = ()) -> SaveProblem:
    return SaveProblem(image="img01", error=OpenError(tmp_path / "changes.jsonl", reason), folder=tmp_path,
                       unsaved=("img01",), reasons=(reason,), logged=logged)


def test_a_journal_fsync_failing_for_room_says_the_disk_is_full(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    reason = _journal_fsync_reason(tmp_path, monkeypatch, errno.ENOSPC)
    problem = _problem(tmp_path, reason)
    assert problem.fix().startswith(f"Free some space on the disk that holds {tmp_path}")
    assert "I/O error" not in problem.advice() and "Check the disk" not in problem.advice()
    assert problem.summary() == "1 image not saved — disk full; edits kept in memory"
    assert problem.advice().startswith("The edits are kept in memory")
    let_go = _problem(tmp_path, reason, logged=("img01",))
    assert let_go.summary() == "1 image not saved — disk full; edit kept in its recovery log on disk"


def test_a_journal_fsync_i_o_error_still_points_at_the_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reason = _journal_fsync_reason(tmp_path, monkeypatch, errno.EIO)
    problem = _problem(tmp_path, reason)
    assert problem.fix().startswith(f"Check the disk that holds {tmp_path}")
    assert problem.summary() == "1 image not saved — written, but cannot make it durable; edits kept in memory"


def test_a_full_disk_and_an_i_o_error_together_say_both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    full = _journal_fsync_reason(tmp_path, monkeypatch, errno.ENOSPC)
    io = _journal_fsync_reason(tmp_path, monkeypatch, errno.EIO)
    problem = SaveProblem("img01", OpenError(tmp_path / "a.png", full), tmp_path, ("img01", "img02"), (full, io))
    fix = problem.fix()
    assert fix.startswith(f"Free some space on the disk that holds {tmp_path}") and "I/O error" in fix
