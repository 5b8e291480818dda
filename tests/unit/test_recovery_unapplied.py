"""Recovery logs set aside (``<id>.png.recovery.unapplied``: a log opening could not apply) are the
user's to deal with: ``fosp project status`` lists them at every opening (not only the one that set
them aside) with the exact command that discards one, ``fosp project discard-log`` discards the
ones named and nothing else (never one silently, never a file that is not such a log). And an
export whose only "mask" is a log with no usable record has nothing to do (exit 3, as when there is
no log), the same read-only (the app holding the project) as writable."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation.project import Project
from fosp_core.annotation.recovery import log_path, unapplied_logs
from fosp_core.annotation.recovery_state import discard_command
from fosp_core.cli import ExitCode, main

SHAPE = (40, 50)


@pytest.fixture()
def images(tmp_path: Path) -> Path:
    """A project of two images (a, b), a's mask saved; then a garbage log for each, set aside by
    one opening (a's twice: ``.unapplied`` and ``.unapplied-2``)."""
    folder = tmp_path / "images"
    folder.mkdir()
    for name in ("a", "b"):
        cv2.imwrite(str(folder / f"{name}.png"), np.full((*SHAPE, 3), 80, np.uint8))
    with Project.open(folder) as project:
        project.save_mask("a", np.ones(SHAPE, np.uint8), "edited")
        masks = project.mask_path("a").parent
    for name in ("a", "b", "a"):
        log_path(masks / f"{name}.png").write_bytes(b"garbage\n")
        Project.open(folder).close()
    assert sorted(p.name for p in masks.glob("*.unapplied*")) == [
        "a.png.recovery.unapplied", "a.png.recovery.unapplied-2", "b.png.recovery.unapplied"]
    return folder


def _masks(images: Path) -> Path:
    return images / ".fosp" / "masks"


def test_unapplied_logs_are_listed_with_their_images(images: Path) -> None:
    found = unapplied_logs(_masks(images))
    assert [(u.image_id, u.path.name) for u in found] == [
        ("a", "a.png.recovery.unapplied"), ("a", "a.png.recovery.unapplied-2"), ("b", "b.png.recovery.unapplied")]
    (_masks(images) / "c.png.recovery.unapplied-x").write_bytes(b"")  # not a name set_aside gives
    assert len(unapplied_logs(_masks(images))) == 3
    with Project.open(images) as project:
        assert project.unapplied_logs() == found and project.recovery_problems == []


def test_status_lists_them_at_every_opening_with_the_command_that_discards_one(
        images: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for _ in range(2):
        assert main(["project", "status", str(images)]) == ExitCode.OK
        out = capsys.readouterr().out
        assert "3 recovery log(s) set aside, never applied" in out, out
        for log in unapplied_logs(_masks(images)):
            assert str(log.path) in out
        assert discard_command(images / ".fosp", _masks(images) / "b.png.recovery.unapplied") in out
    assert main(["project", "status", str(images), "--json"]) == ExitCode.OK
    info = json.loads(capsys.readouterr().out)
    assert info["unapplied_logs"] == [{"image": u.image_id, "path": str(u.path)} for u in unapplied_logs(_masks(images))]


def test_discard_log_removes_the_one_named_and_says_so(images: Path, capsys: pytest.CaptureFixture[str]) -> None:
    command = shlex.split(discard_command(images / ".fosp", _masks(images) / "a.png.recovery.unapplied-2"))
    assert command[:3] == ["fosp", "project", "discard-log"]
    assert main(command[1:]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "discarded" in out and "a.png.recovery.unapplied-2" in out
    assert [u.path.name for u in unapplied_logs(_masks(images))] == ["a.png.recovery.unapplied",
                                                                      "b.png.recovery.unapplied"]
    full = str(_masks(images) / "b.png.recovery.unapplied")  # a full path, as status prints it
    assert main(["project", "discard-log", str(images), full]) == ExitCode.OK
    assert [u.path.name for u in unapplied_logs(_masks(images))] == ["a.png.recovery.unapplied"]
    capsys.readouterr()
    assert main(["project", "status", str(images)]) == ExitCode.OK
    assert "1 recovery log(s) set aside" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["nope.png.recovery.unapplied", "a.png", "../../a.png"])
def test_discard_log_refuses_anything_else_and_discards_nothing(images: Path, name: str,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    before = sorted(p.name for p in _masks(images).iterdir())
    code = main(["project", "discard-log", str(images), "a.png.recovery.unapplied", name])
    assert code == ExitCode.USAGE
    assert name in capsys.readouterr().err
    assert sorted(p.name for p in _masks(images).iterdir()) == before  # not even the good one
    assert (images / "a.png").is_file()


def test_discard_log_with_nothing_set_aside_has_nothing_to_do(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "images"
    folder.mkdir()
    cv2.imwrite(str(folder / "a.png"), np.full((*SHAPE, 3), 80, np.uint8))
    Project.open(folder).close()
    assert main(["project", "discard-log", str(folder), "--all"]) == ExitCode.NOTHING_TO_DO
    assert "no recovery log set aside" in capsys.readouterr().err


def test_discard_log_all(images: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["project", "discard-log", str(images), "--all"]) == ExitCode.OK
    assert capsys.readouterr().out.count("discarded") == 3
    assert unapplied_logs(_masks(images)) == []
    assert (_masks(images) / "a.png").is_file()  # the mask itself kept


@pytest.mark.parametrize("data", [b"garbage\n", b"", b"{\"format\":1"], ids=["garbage", "empty", "torn"])
@pytest.mark.parametrize("held", [False, True], ids=["writable", "read-only"])
def test_export_of_a_log_with_no_usable_record_has_nothing_to_do(tmp_path: Path, data: bytes, held: bool,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "images"
    folder.mkdir()
    cv2.imwrite(str(folder / "a.png"), np.full((*SHAPE, 3), 80, np.uint8))
    with Project.open(folder) as project:
        project.set_status("a", "reviewed")  # a status, and no mask file
        log = log_path(project.mask_path("a"))
    holder = Project.open(folder) if held else None  # the app, holding the project
    try:
        log.write_bytes(data)
        code = main(["project", "export", str(folder), str(tmp_path / "dst"), "--all-train"])
    finally:
        if holder is not None:
            holder.close()
    assert code == ExitCode.NOTHING_TO_DO, capsys.readouterr().err
    assert "nothing to export" in capsys.readouterr().err
    assert not (tmp_path / "dst").exists()


def test_discard_log_all_keeps_a_log_its_own_opening_set_aside(images: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """--all discards what status listed: a log a crash left since then, set aside by discard-log's
    own opening, was never shown to the user and is kept (named, with the command for it)."""
    log_path(_masks(images) / "b.png").write_bytes(b"new garbage\n")  # a crash after the last status
    assert main(["project", "discard-log", str(images), "--all"]) == ExitCode.OK
    captured = capsys.readouterr()
    left = unapplied_logs(_masks(images))
    assert [u.path.name for u in left] == ["b.png.recovery.unapplied-2"]
    assert left[0].path.read_bytes() == b"new garbage\n"
    assert "b.png.recovery.unapplied-2" in captured.err and "kept" in captured.err
