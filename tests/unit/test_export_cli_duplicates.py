"""``fosp project export`` says of exact duplicates what the Export dialog and ``fosp dataset convert``
say, in the same words (one function, `fosp_core.data.duplicates.duplicates_words`): "(each kept in
one split)" whenever every group was written in one split, and a group that the source's kept
splits hold apart named with its splits. It said "(each kept in one split)" for drawn splits only,
and nothing when the kept splits put a copy in train and its original in val."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.cli import main
from tests.unit.odd_dataset_files import project_with_a_copy_split_apart

SAME = "exact duplicates, the same image file under two names"


@pytest.fixture()
def project_folder(tmp_path: Path) -> Path:
    """A project of a SmokeSeg source whose split files put p1 in train and its copy 'p1 copy' in
    val; every image with a saved mask. Closed: the CLI opens it."""
    return project_with_a_copy_split_apart(tmp_path)[1]


def _export(project_folder: Path, dst: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["project", "export", str(project_folder), str(dst), *args]) == 0
    return capsys.readouterr().out


def test_kept_splits_that_hold_a_copy_apart_are_said(project_folder: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    out = _export(project_folder, tmp_path / "out", capsys)
    assert f"{SAME}: p1 = p1 copy" in out
    assert ("not kept in one split (the source's splits, as they were; --split 0.8,0.1,0.1 draws splits "
            "that keep each group in one): p1 = p1 copy in train and val") in out  # was: not a word
    assert "each kept in one split" not in out


def test_all_in_train_is_one_split(project_folder: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = _export(project_folder, tmp_path / "out", capsys, "--all-train")
    assert f"{SAME} (each kept in one split): p1 = p1 copy" in out  # was: without "(each kept ...)"
    assert "not kept" not in out


def test_drawn_splits_keep_each_group_in_one(project_folder: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = _export(project_folder, tmp_path / "out", capsys, "--split", "0.5,0.5", "--seed", "3")
    assert f"{SAME} (each kept in one split): p1 = p1 copy" in out
    assert "not kept" not in out


def test_the_cli_the_dialog_and_convert_word_it_alike(project_folder: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """The same export said by the CLI and by convert of the same groups and splits: one sentence
    (the dialog's hint-free words differ only by the CLI's hint)."""
    from fosp_core.annotation.export import ExportReport
    from fosp_core.cli.dataset import duplicates_note

    out = _export(project_folder, tmp_path / "out", capsys)
    splits = {"train": ["p0", "p1", "p2"], "val": ["p1 copy", "p3"]}
    note = duplicates_note([["p1", "p1 copy"]], splits)
    assert f"  {note}\n" in out
    pytest.importorskip("PySide6")
    from app.annotation.export_dialog import duplicates_words

    report = ExportReport(tmp_path, {}, duplicates=[["p1", "p1 copy"]], duplicate_splits=[["train", "val"]])
    hint = "; --split 0.8,0.1,0.1 draws splits that keep each group in one"
    assert duplicates_words(report) == note.replace(hint, "")
