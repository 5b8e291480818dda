"""`python main.py --screenshot` prints what went wrong: a failed save reads as a save error
("Could not save <image>: ..."), not as "cannot open <mask>: Could not save ..."."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import main as app_main
from app.save_problems import SaveProblem
from app.services import CollectingErrorReporter
from fosp_core.session import OpenError


def test_collected_save_errors_read_as_save_errors(tmp_path: Path) -> None:
    reporter = CollectingErrorReporter()
    mask = tmp_path / "masks" / "img01.png"
    error = OpenError(mask, "cannot write: disk full")
    reporter.report_save_problem(None, SaveProblem("img01", error, tmp_path, ("img01",), (error.reason,)))
    reporter.report(None, [OpenError(tmp_path / "broken.jpg", "not an image")])
    lines = reporter.lines()
    assert lines[0].startswith("Could not save img01: cannot write: disk full") and str(mask) in lines[0]
    assert "cannot open" not in lines[0]
    assert lines[1] == f"cannot open {tmp_path / 'broken.jpg'}: not an image"


def test_the_screenshot_prints_a_failed_save_as_a_save_error(qapp, demo_dir: Path, tmp_path: Path,  # noqa: ANN001
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    mask = tmp_path / "masks" / "img01.png"

    class Reporter(CollectingErrorReporter):
        def __init__(self) -> None:  # a save that failed while the window was up
            super().__init__()
            error = OpenError(mask, "cannot write: disk full")
            self.report_save_problem(None, SaveProblem("img01", error, tmp_path, ("img01",), (error.reason,)))

    monkeypatch.setattr(app_main, "CollectingErrorReporter", Reporter)
    image = sorted((demo_dir / "JPEGImages").glob("*.jpg"))[0]
    assert app_main.take_screenshot(qapp, tmp_path / "shot.png", [image], (800, 600), timeout_s=30) == 1
    err = capsys.readouterr().err
    assert "fosp-studio: Could not save img01: cannot write: disk full" in err
    assert "cannot open" not in err
