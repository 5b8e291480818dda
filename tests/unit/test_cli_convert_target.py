"""`fosp dataset convert SRC SRC/JPEGImages --overwrite` replaced the source's images folder with the
converted dataset (and SRC/SegmentationClass its labels): the check refused only a DST holding the
whole source. A DST holding any file the source reads is refused now, before anything is written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fosp_core.cli import main


@pytest.mark.parametrize("part", ["JPEGImages", "SegmentationClass", "ImageSets"])
def test_convert_over_the_sources_own_files_is_refused(demo_dir: Path, tmp_path: Path, part: str,
                                                       capsys: pytest.CaptureFixture) -> None:
    src = tmp_path / "src ü"
    shutil.copytree(demo_dir, src)
    before = sorted(p.relative_to(src) for p in src.rglob("*"))
    assert main(["dataset", "convert", str(src), str(src / part), "--to", "smokeseg", "--overwrite"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(src / part) in err and "choose another folder" in err
    assert sorted(p.relative_to(src) for p in src.rglob("*")) == before


def test_convert_into_a_new_folder_inside_the_source_is_allowed(demo_dir: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(demo_dir, src)
    assert main(["dataset", "convert", str(src), str(src / "converted"), "--to", "smokeseg"]) == 0
    assert len(list((src / "JPEGImages").iterdir())) == 4
