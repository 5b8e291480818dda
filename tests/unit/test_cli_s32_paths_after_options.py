"""Paths after an option (``fosp predict a.jpg --out OUT b.jpg``, ``fosp compare A B --csv x.csv images/``)
were refused ("unrecognized arguments: b.jpg"): argparse takes one run of a list's words. They are now
the command's list too (its images, its inputs), as `fosp-studio` takes its paths wherever they stand;
an unknown option is still refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.cli import _parse as parse
from fosp_core.cli import build_parser, main


def test_a_path_after_an_option_joins_the_list(tmp_path: Path) -> None:
    args = parse(build_parser(), ["compare", "A", "B", "one.jpg", "--csv", "x.csv", "two.jpg", "three.jpg"])
    assert args.images == ["one.jpg", "two.jpg", "three.jpg"] and args.csv == Path("x.csv")
    args = parse(build_parser(), ["predict", "a.jpg", "--out", "o", "b.jpg"])
    assert args.inputs == ["a.jpg", "b.jpg"]


def test_predict_takes_every_image(demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    first, second = sorted((demo_dir / "JPEGImages").glob("*.jpg"))[:2]
    assert main(["predict", str(first), "--out", str(tmp_path / "out"), "--input-size", "64", str(second)]) == 0
    assert "2 input(s) predicted" in capsys.readouterr().err


def test_an_unknown_option_is_still_refused(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit):
        main(["compare", "A", "B", "one.jpg", "--csv", "x.csv", "two.jpg", "--bogus"])
    assert "fosp compare: error: unrecognized arguments: two.jpg --bogus" in capsys.readouterr().err
