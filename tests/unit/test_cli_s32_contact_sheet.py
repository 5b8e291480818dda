"""`fosp dataset synth --contact-sheet PATH` ended in a Python traceback after the whole dataset was written
when PATH could not be written: an unknown suffix (sheet.xyz) or none (sheet: "unknown file extension"),
a folder, a folder under a file (FileExistsError). Each is now refused before any sample is made, in one
line; a name without a suffix is written as a PNG."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.cli import main

SYNTH = ["dataset", "synth", "--n", "2", "--size", "64"]


def _synth(demo_dir: Path, out: Path, sheet: Path) -> int:
    return main([*SYNTH, str(out), "--backgrounds", str(demo_dir), "--contact-sheet", str(sheet)])


@pytest.mark.parametrize("case", ["unknown suffix", "folder", "under a file"])
def test_a_contact_sheet_that_cannot_be_written_is_refused_first(demo_dir: Path, tmp_path: Path, case: str,
                                                                 capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "notes.txt").write_text("x")
    sheet = {"unknown suffix": tmp_path / "sheet.xyz", "folder": tmp_path,
             "under a file": tmp_path / "notes.txt" / "sheet.png"}[case]
    out = tmp_path / "synth"
    assert _synth(demo_dir, out, sheet) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: --contact-sheet {sheet}: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    assert not out.exists()  # said before the work
    expected = {"unknown suffix": "cannot write .xyz pictures", "folder": "is a folder",
                "under a file": f"{tmp_path / 'notes.txt'} is a file, not a folder"}[case]
    assert expected in err, err


@pytest.mark.parametrize(("name", "magic"), [("sheet", b"\x89PNG"), ("sheet.jpg", b"\xff\xd8\xff"),
                                             ("sheets ü/sheet.PNG", b"\x89PNG")])
def test_a_contact_sheet_is_written_in_its_suffixs_format(demo_dir: Path, tmp_path: Path, name: str,
                                                          magic: bytes) -> None:
    sheet = tmp_path / name
    assert _synth(demo_dir, tmp_path / "synth", sheet) == 0
    assert sheet.read_bytes()[:len(magic)] == magic
