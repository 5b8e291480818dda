"""`fosp project import --made-by model` brings a model's masks (another tool's predictions) in as
"predicted"; the default, and --made-by people, as "edited" (people's work)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.cli import main
from tests.foreign_files import demo_project
from tests.unit.test_import_human_status import SQUARE, _labelme


@pytest.mark.parametrize(("flags", "status"), [([], Status.EDITED), (["--made-by", "people"], Status.EDITED),
                                               (["--made-by", "model"], Status.PREDICTED)])
def test_import_made_by(demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                        flags: list[str], status: Status) -> None:
    project, names = demo_project(demo_dir, tmp_path)
    stems = [Path(n).stem for n in names[:2]]
    folder, labels = project.folder, _labelme(tmp_path / "labelme", stems, SQUARE)
    project.close()
    assert main(["project", "import", str(folder), str(labels), *flags]) == 0
    out = capsys.readouterr().out
    assert "imported 2 mask(s)" in out
    assert ("as predicted" in out) == (status == Status.PREDICTED)
    with Project.open(folder) as again:
        assert [again.entry(s).status for s in stems] == [status] * 2


def test_made_by_something_else_is_a_usage_error(demo_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["project", "import", str(tmp_path), "--made-by", "robots"])
    assert exit_.value.code == 2
