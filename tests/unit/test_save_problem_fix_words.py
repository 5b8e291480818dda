"""The save problem's "what to do" names the real cause: a project taken over by another program and a
save whose folder could not be made durable are not fixed by making the folder writable (the advice
every failure but a full disk or a missing folder got)."""

from __future__ import annotations

from pathlib import Path

from app.save_problems import SaveProblem
from fosp_core.session import OpenError


def _problem(tmp_path: Path, reason: str) -> SaveProblem:
    return SaveProblem(image="img01", error=OpenError(tmp_path / "img01.png", reason), folder=tmp_path,
                       unsaved=("img01",), reasons=(reason,))


def test_a_take_over_says_who_holds_it_and_how_to_get_it_back(tmp_path: Path) -> None:
    reason = ("not saved: the project was taken over (fosp-studio, pid 4242 on host); nothing of it was "
              "written, its mask is kept in /p/.fosp/rescued/img01.png")
    fix = _problem(tmp_path, reason).fix()
    assert "writable" not in fix
    assert "Take Over" in fix and "another program" in fix.lower()


def test_a_save_that_cannot_be_made_durable_points_at_the_disk(tmp_path: Path) -> None:
    reason = "written, but cannot make it durable (its folder's fsync failed: Input/output error)"
    fix = _problem(tmp_path, reason).fix()
    assert "writable" not in fix
    assert "disk" in fix and str(tmp_path) in fix


def test_other_failures_keep_their_advice(tmp_path: Path) -> None:
    assert _problem(tmp_path, "cannot write: disk full").fix().startswith("Free some space")
    assert _problem(tmp_path, "cannot write: permission denied").fix() == f"Make {tmp_path} writable again"


def test_an_io_error_points_at_the_disk_not_at_permissions(tmp_path: Path) -> None:
    import errno
    import os

    fix = _problem(tmp_path, f"cannot write: {os.strerror(errno.EIO)}").fix()
    assert "writable" not in fix and fix.startswith(f"Check the disk that holds {tmp_path}")


def test_the_words_say_where_the_edits_are(tmp_path: Path) -> None:
    reason = "cannot write: disk full"
    error = OpenError(tmp_path / "a.png", reason)
    open_only = SaveProblem("a", error, tmp_path, ("a", "b"), (reason,))
    assert open_only.summary().endswith("; edits kept in memory")
    let_go = SaveProblem("a", error, tmp_path, ("a", "b"), (reason,), logged=("a", "b"))
    assert let_go.summary().endswith("; edits kept in their recovery logs on disk")
    assert "in memory" not in let_go.advice() and "the next opening of the project applies them" in let_go.advice()
    both = SaveProblem("a", error, tmp_path, ("a", "b"), (reason,), logged=("b",))
    assert both.summary().endswith("; edits kept in memory and in recovery logs on disk")
    assert both.advice().startswith("The edits of the open images are kept in memory and the edit of b is in its "
                                    "recovery log on disk")


def test_the_status_bar_button_says_the_reason_without_its_brackets(tmp_path: Path) -> None:
    from fosp_core.annotation.journal_settles import fsync_failed_reason

    reason = fsync_failed_reason("Input/output error")
    problem = _problem(tmp_path, reason)
    assert problem.summary() == "1 image not saved — written, but cannot make it durable; edits kept in memory"
    assert reason in problem.text()  # the message keeps it whole
