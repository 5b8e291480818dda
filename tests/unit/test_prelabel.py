"""Pre-label (`fosp_core.annotation.prelabel`, ``fosp project prelabel``): the model's mask for every
image without one, never over a mask, resumable, and a process killed (SIGKILL, a real subprocess
with the tiny model on real photos, the bundled demo's) mid-way keeps every mask written whole with its state."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from fosp_core.analysis.scorebook import LabelStamp
from fosp_core.annotation.document import Status
from fosp_core.annotation.prelabel import MODEL_KEY, ModelStamp, prelabel, stamp_summary, summary_matches
from fosp_core.annotation.project import Project
from fosp_core.io.masks import read_mask
from tests.demo_photos import demo_photo_links
from tests.killed_child import kill_when_said

STAMP = ModelStamp("0123456789abcdef", 0.15, 0.5, "plain")

CHILD = """
import sys, time
from pathlib import Path
from fosp_core.annotation.prelabel import ModelStamp, checkpoint_digest, prelabel
from fosp_core.annotation.project import Project
from fosp_core.infer import Predictor
images, location, ckpt, stop_at = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
predictor = Predictor(ckpt, device="cpu", input_size=64)
stamp = ModelStamp(checkpoint_digest(ckpt), predictor.tau, 0.5)
with Project.open(images, location) as project:
    def progress(done, total):
        if done == stop_at:
            print("written", done, flush=True)
            time.sleep(600)  # killed here
    prelabel(project, lambda rgb: predictor.predict_batch([rgb], need=())[0].probability, stamp, progress=progress)
"""


def _demo_project(demo_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    images = tmp_path / "images"
    shutil.copytree(demo_dir / "JPEGImages", images)
    location = tmp_path / "project"
    Project.open(images, location).close()
    return images, location


def _half(rgb: np.ndarray) -> np.ndarray:
    """A model that sees smoke in the left half."""
    prob = np.zeros(rgb.shape[:2], np.float32)
    prob[:, : rgb.shape[1] // 2] = 0.9
    return prob


def test_prelabel_leaves_every_mask_alone_and_a_second_run_does_nothing(demo_dir: Path, tmp_path: Path) -> None:
    images, location = _demo_project(demo_dir, tmp_path)
    with Project.open(images, location) as project:
        edited, reviewed, predicted, *rest = project.ids
        shape = read_mask_shape(project, edited)
        project.save_mask(edited, np.ones(shape, np.uint8), Status.EDITED)
        project.save_mask(reviewed, np.zeros(shape, np.uint8), Status.REVIEWED)
        project.save_mask(predicted, np.zeros(shape, np.uint8), Status.PREDICTED)
        before = {i: project.mask_path(i).read_bytes() for i in (edited, reviewed, predicted)}
        seen: list[tuple[int, int]] = []
        report = prelabel(project, _half, STAMP, progress=lambda d, t: seen.append((d, t)))
        assert report.imported == rest and report.skipped_masked == 3 and not report.failed
        assert seen == [(0, len(rest)), *((i + 1, len(rest)) for i in range(len(rest)))]
        assert {i: project.mask_path(i).read_bytes() for i in before} == before
        for image_id in rest:
            entry = project.entry(image_id)
            assert entry.status == Status.PREDICTED and summary_matches(entry.prediction, STAMP)
            mask = project.load_mask(image_id)
            assert mask is not None and mask[:, 0].all() and not mask[:, -1].any()
        assert prelabel(project, _half, STAMP).imported == []
    with Project.open(images, location) as project:  # the stamps are saved
        assert [project.entry(i).prediction[MODEL_KEY]["checkpoint"] for i in rest] == [STAMP.checkpoint] * len(rest)


def read_mask_shape(project: Project, image_id: str) -> tuple[int, int]:
    from fosp_core.io.images import read_image

    return read_image(project.image_path(image_id)).rgb.shape[:2]


def test_a_cancelled_prelabel_keeps_what_it_wrote_and_goes_on_after(demo_dir: Path, tmp_path: Path) -> None:
    images, location = _demo_project(demo_dir, tmp_path)
    with Project.open(images, location) as project:
        calls: list[int] = []
        report = prelabel(project, _half, STAMP, cancelled=lambda: len(calls.append(1) or calls) > 2)
        assert report.cancelled and len(report.imported) == 2 and report.not_reached == 2
        second = prelabel(project, _half, STAMP)
        assert second.imported == [i for i in project.ids if i not in report.imported]
        assert second.skipped_masked == 2


def test_a_summary_of_other_settings_does_not_match() -> None:
    summary = stamp_summary({"threshold": 0.5}, STAMP)
    assert summary_matches(summary, STAMP)
    assert not summary_matches(summary, STAMP, LabelStamp("gt.png", 1, 2))  # a label file made since
    labelled = stamp_summary({"threshold": 0.5}, STAMP, LabelStamp("gt.png", 1, 2))
    assert summary_matches(labelled, STAMP, LabelStamp("gt.png", 1, 2))
    assert not summary_matches(labelled, STAMP, LabelStamp("gt.png", 3, 2))  # the label changed since
    for other in (ModelStamp("ffffffffffffffff", 0.15, 0.5), ModelStamp(STAMP.checkpoint, 0.3, 0.5),
                  ModelStamp(STAMP.checkpoint, 0.15, 0.6), ModelStamp(STAMP.checkpoint, 0.15, 0.5, "core:0.7")):
        assert not summary_matches(summary, other)
    assert not summary_matches({"threshold": 0.5}, STAMP)  # made before the stamp existed
    assert not summary_matches(None, STAMP)


@pytest.mark.parametrize("killed_after", [1, 4])
def test_a_prelabel_killed_midway_keeps_its_masks_and_goes_on(tmp_path: Path, killed_after: int) -> None:
    from tests.tiny_checkpoints import save_tiny_checkpoint

    images, location, n = tmp_path / "photos", tmp_path / "project", 6
    demo_photo_links(images, n)
    ckpt = save_tiny_checkpoint(tmp_path / "tiny.safetensors")
    Project.open(images, location).close()
    kill_when_said(CHILD, [str(images), str(location), str(ckpt), str(killed_after)], ["written", str(killed_after)])
    assert not list((location / "masks").glob("*.tmp*"))  # no half-written file left beside them
    with Project.open(images, location) as project:
        done = [e.id for e in project.entries if project.mask_path(e.id).exists()]
        assert len(done) == killed_after
        for image_id in done:  # whole masks, with their states and summaries
            assert read_mask(project.mask_path(image_id)).shape == read_mask_shape(project, image_id)
            assert project.entry(image_id).status == Status.PREDICTED
            assert project.entry(image_id).prediction[MODEL_KEY]["threshold"] == 0.5
        kept = {i: project.mask_path(i).stat().st_mtime_ns for i in done}
        report = prelabel(project, _half, STAMP)  # a second run: only the images left
        assert sorted(report.imported) == sorted(i for i in project.ids if i not in done)
        assert report.skipped_masked == killed_after
        assert {i: project.mask_path(i).stat().st_mtime_ns for i in done} == kept
    assert n == killed_after + len(report.imported)


def test_cli_prelabel_then_nothing_left(demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from fosp_core.cli import main
    from tests.tiny_checkpoints import save_tiny_checkpoint

    images, location = _demo_project(demo_dir, tmp_path)
    ckpt = save_tiny_checkpoint(tmp_path / "tiny.safetensors")
    with Project.open(images, location) as project:
        first = project.ids[0]
        project.save_mask(first, np.zeros(read_mask_shape(project, first), np.uint8), Status.EDITED)
    args = ["project", "prelabel", str(location), "--checkpoint", str(ckpt), "--input-size", "64", "--device", "cpu",
            "--keep", "core:0.7"]
    assert main(args) == 0
    assert "pre-labelled 3 images (status predicted); 1 already had a mask" in capsys.readouterr().out
    assert main(args) == 3  # nothing to do (README's exit codes; session 36: it was 0)
    assert "nothing to pre-label: all 4 images have a mask already" in capsys.readouterr().out
    with Project.open(images, location) as project:
        assert project.entry(first).status == Status.EDITED and project.entry(first).prediction is None
        assert {project.entry(i).prediction[MODEL_KEY]["keep"] for i in project.ids[1:]} == {"core:0.7"}
    assert main([*args[:-2], "--keep", "nonsense"]) == 2


def test_prelabel_keeps_no_earlier_map_alive(demo_dir: Path, tmp_path: Path) -> None:
    """Memory is bounded by one image: when the model runs on an image, no map it made before is alive."""
    import gc
    import weakref

    images, location = _demo_project(demo_dir, tmp_path)
    made: list[weakref.ref] = []
    alive_at_call: list[int] = []

    def model(rgb: np.ndarray) -> np.ndarray:
        gc.collect()
        alive_at_call.append(sum(ref() is not None for ref in made))
        prob = _half(rgb)
        made.append(weakref.ref(prob))
        return prob

    with Project.open(images, location) as project:
        assert len(prelabel(project, model, STAMP).imported) == 4
    assert alive_at_call == [0, 0, 0, 0]
