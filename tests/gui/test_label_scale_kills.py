"""A labelling day killed for real (SIGKILL of the app's process, `tests.gui.label_kill_worker`) while
Run on all goes, mid Import Labels, mid Export, on real photos (the bundled demo's, linked 10 times):
reopened, the image corrected and marked reviewed before is reviewed with its mask, every image with a status other than unlabeled has a
mask and none unlabeled has one, the masks imported before the kill are there "edited", the model
summaries said written are there. The kill comes after the worker says where it is; no timing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from tests.demo_photos import demo_photo_links
from tests.foreign_files import labelme_file
from tests.gui.label_kill_worker import HELD
from tests.gui.tiny_model import save_tiny_checkpoint

ROOT = Path(__file__).resolve().parents[2]
COUNT = 10


def _folder(tmp_path: Path) -> tuple[Path, Path]:
    """(a folder of COUNT links to real photos (the bundled demo's: runs in a fresh clone), a labelme folder
    labelling photos 1..7 with a square)."""
    folder, labels = tmp_path / "photos", tmp_path / "labelme"
    photos = demo_photo_links(folder, COUNT)
    labels.mkdir()
    from PIL import Image

    for p in photos[1:8]:
        with Image.open(p) as im:
            size = (im.height, im.width)
        labelme_file(labels, p.stem, [{"label": "smoke", "points": [[10, 10], [90, 10], [90, 60], [10, 60]]}],
                     size=size, image_path=p.name)
    return folder, labels


def _killed_at(tmp_path: Path, point: str) -> tuple[str, Path]:
    """Run the worker to `point` and SIGKILL it there; (the reviewed image's id, the project folder)."""
    folder, labels = _folder(tmp_path)
    checkpoint = save_tiny_checkpoint(tmp_path / "tiny.safetensors")
    projects = tmp_path / "projects"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-m", "tests.gui.label_kill_worker", str(folder), str(projects),
                              str(checkpoint), point, str(labels)], stdout=subprocess.PIPE, text=True, cwd=ROOT,
                             env=env)
    reviewed = ""
    try:
        assert child.stdout is not None
        for line in child.stdout:
            words = line.split()
            if words[:1] == ["R"]:
                reviewed = words[1]
            elif words[:1] in (["K"], ["E"]):
                assert words == ["K", point, str(HELD)], line
                break
        else:
            pytest.fail(f"the worker ended before {point}")
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    (project_dir,) = [p for p in projects.iterdir() if p.is_dir()]
    return reviewed, project_dir


@pytest.mark.slow
@pytest.mark.parametrize("point", ["run_all", "import", "export"])
def test_a_kill_at_scale_points_loses_nothing_committed(tmp_path: Path, point: str) -> None:
    reviewed, project_dir = _killed_at(tmp_path, point)
    with Project.open(project_dir) as project:
        statuses = {e.id: e.status for e in project.entries}
        masks = {e.id: project.load_mask(e.id) for e in project.entries}
        summaries = sum(e.prediction is not None for e in project.entries)
    assert len(statuses) == COUNT and statuses[reviewed] == Status.REVIEWED
    assert masks[reviewed] is not None and (masks[reviewed] == 1).any()
    assert [i for i, s in statuses.items() if (s == Status.UNLABELED) != (masks[i] is None)] == []
    imported = {"import": HELD, "export": 7}.get(point, 0)
    assert sorted(s.value for s in statuses.values()) == ["edited"] * imported + ["reviewed"] + ["unlabeled"] * (
        COUNT - imported - 1)
    if point == "run_all":
        assert summaries >= HELD  # the results said in before the kill (Run on this image's too)
