"""`write_json_file` (`fosp eval --json`, `fosp dataset stats --json`) names the parent that is a file:
with `--json report.txt/out.json` it said "cannot write it: File exists" (mkdir's words), naming neither
the file in the way nor what to do; `output_file_problem` already said it."""

from __future__ import annotations

from pathlib import Path

from fosp_core.cli import output_file_problem, write_json_file


def test_a_parent_that_is_a_file_is_named(tmp_path: Path) -> None:
    in_the_way = tmp_path / "report.txt"
    in_the_way.write_text("not a folder")
    target = in_the_way / "sub" / "out.json"
    error = write_json_file(target, {"a": 1})
    assert error is not None
    assert str(in_the_way) in error and "a file, not a folder" in error, error
    assert "File exists" not in error
    assert in_the_way.read_text() == "not a folder"


def test_it_says_what_the_pre_check_says(tmp_path: Path) -> None:
    in_the_way = tmp_path / "report.txt"
    in_the_way.write_text("x")
    target = in_the_way / "out.json"
    assert write_json_file(target, [1]) == output_file_problem(target, f"--json {target}")


def test_a_writable_path_is_written(tmp_path: Path) -> None:
    target = tmp_path / "new" / "out.json"
    assert write_json_file(target, {"a": 1}) is None
    assert target.read_text(encoding="utf-8") == '{\n  "a": 1\n}\n'
