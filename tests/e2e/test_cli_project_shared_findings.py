"""`fosp project status` names what an opening finds in a shared project, as the app does
(`app.annotation.opening_notes.shared_findings`): a sync tool's conflicted copies beside the project
(`Project.conflicts`) and images with work whose file is gone from the folder (`Project.listing.missing`)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fosp_core.annotation import tools
from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.cli import main


@pytest.fixture()
def shared(demo_dir, tmp_path) -> tuple[Path, str]:
    """A copy of the demo with one image reviewed, then its file renamed while the project was closed,
    and a Dropbox conflicted copy of the journal beside the project; (images folder, the image's name)."""
    dst = tmp_path / "demo"
    shutil.copytree(demo_dir, dst)
    with Project.open(dst) as project:
        image_id = project.ids[0]
        doc = project.open_document(image_id)
        tools.polygon_fill(doc, [(0, 0), (31, 0), (31, 31), (0, 31)], 1)
        doc.set_status(Status.REVIEWED)
        name = project.entry(image_id).image
        path = project.image_path(image_id)
        folder = project.folder
    path.rename(path.with_name("renamed_" + path.name))
    (folder / "changes (Bob's conflicted copy 2026-12-07).jsonl").write_text("")
    return dst, name


def test_status_names_conflicted_copies_and_images_with_work_gone(shared, capsys):
    dataset, name = shared
    assert main(["project", "status", str(dataset)]) == 0
    out = capsys.readouterr().out
    assert "1 conflicted copy in" in out and "Bob's conflicted copy 2026-12-07" in out
    assert "what they hold is not in the project" in out  # fosp_core's words (conflicts_words), as the app's
    assert "1 image with work gone from the folder" in out and name in out
    assert "Rename the file back to its old name" in out


def test_status_json_has_the_shared_findings(shared, capsys):
    dataset, name = shared
    assert main(["project", "status", str(dataset), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert [Path(p).name for p in info["conflicts"]] == ["changes (Bob's conflicted copy 2026-12-07).jsonl"]
    assert info["missing_with_work"] == [name]


def test_status_of_a_project_with_nothing_found_says_nothing_of_them(demo_dir, tmp_path, capsys):
    dst = tmp_path / "demo"
    shutil.copytree(demo_dir, dst)
    Project.open(dst).close()
    assert main(["project", "status", str(dst), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["conflicts"] == [] and info["missing_with_work"] == []
    assert main(["project", "status", str(dst)]) == 0
    out = capsys.readouterr().out
    assert "conflicted" not in out and "gone from the folder" not in out
