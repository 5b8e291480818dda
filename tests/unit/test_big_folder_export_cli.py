"""`fosp project export` of a big folder: a count on a terminal while it writes, and a plain stop on Ctrl-C.

A labelling lead's export of 2 000 photos' masks takes about a minute (bench/bench_big_folder_day.py: 34 ms
an image, decoded, its JPEG copied, its mask encoded) and said nothing until it ended, even on a terminal
(``import`` and ``prelabel`` count theirs there); stopped with Ctrl-C it said only "interrupted", not whether
the destination, an export of yesterday, was still whole (it is: the new one is written beside it)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

import fosp_core.data.smokeseg as smokeseg
from fosp_core.annotation.project import Project
from fosp_core.cli import ExitCode, main


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def project(demo_dir: Path, tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    shutil.copytree(demo_dir, root)
    with Project.open(root) as p:
        p.import_labels()  # the demo's 4 masks
    return root


def test_the_export_counts_its_images_on_a_terminal(project: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert main(["project", "export", str(project), str(tmp_path / "out"), "--all-train"]) == 0
    counts = [s for s in terminal.getvalue().replace("\r", "\n").splitlines() if s.startswith("exporting")]
    assert counts == [f"exporting: {n}/4" for n in range(1, 5)], terminal.getvalue()
    assert terminal.getvalue().endswith("\n")  # the count's line ended


def test_ctrl_c_says_nothing_was_written_and_the_old_export_is_whole(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["project", "export", str(project), str(out), "--all-train"]) == 0
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    real, calls = smokeseg._write_one, []

    def interrupted_at_the_third(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(smokeseg, "_write_one", interrupted_at_the_third)
    capsys.readouterr()

    assert main(["project", "export", str(project), str(out), "--all-train", "--overwrite"]) == ExitCode.INTERRUPTED

    err = capsys.readouterr().err
    assert f"interrupted: nothing exported; {out} is as it was" in err, err
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []  # no unfinished copy left
