"""`fosp project import --help` says that SOURCE can be another copy of the project (a teammate's work
merged, statuses kept: docs/saving.md "Sharing a project with a team") or the project's .fosp/rescued
folder; it named only label formats, so neither way of bringing work back was found from the help."""

from __future__ import annotations

import pytest

from fosp_core.cli import main


def test_import_help_names_another_copy_and_the_rescued_folder(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["project", "import", "--help"])
    assert exit_.value.code == 0
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps the help
    assert "another copy of the project" in out and "each image with its status" in out
    assert "Sharing a project with a team" in out
    assert ".fosp/rescued" in out
