"""``fosp project import``: a count on stderr when it is a terminal, and Ctrl-C (SIGINT) stopping
between masks with the count so far, the project reopening consistent."""

from __future__ import annotations

import shutil
import signal
import sys
from pathlib import Path

import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.cli import ExitCode, main
from tests.foreign_files import demo_project


def _setup(demo_dir: Path, tmp_path: Path) -> tuple[Path, list[str]]:
    project, names = demo_project(demo_dir, tmp_path)
    project.close()
    shutil.copytree(demo_dir / "SegmentationClass", tmp_path / "masks")
    return tmp_path / "project", names


def test_ctrl_c_stops_between_masks_with_the_count_so_far(demo_dir: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    folder, names = _setup(demo_dir, tmp_path)
    saved: list[str] = []
    save_mask = Project.save_mask

    def save_then_ctrl_c(self: Project, image_id: str, *args: object, **kwargs: object) -> None:
        save_mask(self, image_id, *args, **kwargs)
        saved.append(image_id)
        if len(saved) == 2:
            signal.raise_signal(signal.SIGINT)  # as the terminal sends it, while the 2nd mask was saved

    monkeypatch.setattr(Project, "save_mask", save_then_ctrl_c)
    code = main(["project", "import", str(folder), str(tmp_path / "masks")])

    _out, err = capsys.readouterr()
    assert code == ExitCode.INTERRUPTED
    assert f"interrupted: imported 2 mask(s), {len(names) - 2} image(s) not reached" in err
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back
    with Project.open(folder, create=False) as reopened:
        statuses = {e.id: e.status for e in reopened.entries}
    assert [statuses[Path(n).stem] for n in names] == [Status.EDITED] * 2 + [Status.UNLABELED] * (len(names) - 2)
    assert sorted(p.stem for p in (folder / "masks").glob("*.png")) == sorted(saved)


def test_progress_on_a_terminal_only(demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    folder, names = _setup(demo_dir, tmp_path)
    assert main(["project", "import", str(folder), str(tmp_path / "masks")]) == ExitCode.OK
    assert "importing labels" not in capsys.readouterr().err  # a pipe, a log: no count
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["project", "import", str(folder), str(tmp_path / "masks")]) == ExitCode.OK
    err = capsys.readouterr().err
    n = len(names)
    assert err.startswith("\r" + "\r".join(f"importing labels: {i}/{n}" for i in range(n + 1)) + "\n")
