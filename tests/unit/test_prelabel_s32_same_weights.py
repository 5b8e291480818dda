"""A pre-label's stamp named the model by its checkpoint FILE's digest: the same weights exported again
under another name (``fosp train-export`` writes the card's name and the run into the file's metadata)
were another model, so ``fosp project prelabel --replace-predicted`` (and the app's Pre-label All) made
every model-only mask again, identical. The stamp now also names the weights (`ModelStamp.weights`:
`weights_digest`, the tensors' names, dtypes, shapes and bytes with the model's name and config, not the
rest of the metadata), and a stamp that knows them is matched by them; a stamp written before (no
``weights``) still matches by its file, as before."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.prelabel import (
    MASK_MODEL_KEY,
    MODEL_KEY,
    ModelStamp,
    checkpoint_digest,
    predictor_run,
    prelabel,
)
from fosp_core.annotation.prelabel_weights import weights_digest
from fosp_core.annotation.project import Project
from tests.demo_photos import demo_photo_links
from tests.tiny_checkpoints import save_tiny_checkpoint

ARGS = ["--input-size", "64", "--device", "cpu", "--replace-predicted"]


def _project(tmp_path: Path) -> tuple[Path, Path]:
    images, location = tmp_path / "photos", tmp_path / "project"
    demo_photo_links(images, 3)
    Project.open(images, location).close()
    return images, location


def _prelabel(location: Path, ckpt: Path, code: int = 0) -> None:
    """`code`: 3 for a run with nothing to replace (nothing to do; session 36: it was 0)."""
    from fosp_core.cli import main

    assert main(["project", "prelabel", str(location), "--checkpoint", str(ckpt), *ARGS]) == code


def _masks(images: Path, location: Path) -> dict[str, int]:
    with Project.open(images, location) as project:
        assert all(project.entry(i).status == Status.PREDICTED for i in project.ids)
        return {i: project.mask_path(i).stat().st_mtime_ns for i in project.ids}


def test_the_same_weights_exported_again_redo_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    images, location = _project(tmp_path)
    first = save_tiny_checkpoint(tmp_path / "run-a.safetensors", {"run": "a", "card": "run-a.card.json"})
    again = save_tiny_checkpoint(tmp_path / "mine.safetensors", {"run": "a", "card": "mine.card.json"})
    assert checkpoint_digest(first) != checkpoint_digest(again)  # other files ...
    assert weights_digest(first) == weights_digest(again)  # ... of the same weights
    _prelabel(location, first)
    before = _masks(images, location)
    capsys.readouterr()
    _prelabel(location, again, 3)
    out = capsys.readouterr().out
    assert _masks(images, location) == before, out  # were all made again, identical
    assert "are this model's at these settings already: nothing to replace" in out, out
    with Project.open(images, location) as project:  # the marks still name the first file, and the weights
        marks = [project.entry(i).extra[MASK_MODEL_KEY] for i in project.ids]
        assert {m["checkpoint"] for m in marks} == {checkpoint_digest(first)}
        assert {m["weights"] for m in marks} == {weights_digest(first)}
        assert {project.entry(i).prediction[MODEL_KEY]["weights"] for i in project.ids} == {weights_digest(first)}


def test_a_copy_redoes_nothing_and_other_weights_redo_all(tmp_path: Path) -> None:
    images, location = _project(tmp_path)
    first = save_tiny_checkpoint(tmp_path / "a.safetensors")
    _prelabel(location, first)
    before = _masks(images, location)
    copy = tmp_path / "copy.safetensors"
    shutil.copy(first, copy)
    _prelabel(location, copy, 3)
    assert _masks(images, location) == before
    _prelabel(location, save_tiny_checkpoint(tmp_path / "b.safetensors", seed=1))  # other weights: all made again
    assert all(a != b for a, b in zip(before.values(), _masks(images, location).values(), strict=True))


def _right(rgb: np.ndarray) -> np.ndarray:
    prob = np.zeros(rgb.shape[:2], np.float32)
    prob[:, rgb.shape[1] // 2:] = 0.9
    return prob


def test_a_stamp_written_before_matches_by_its_file(tmp_path: Path) -> None:
    """A stamp without ``weights`` (before this change) names the file: the same file matches it, the
    same weights in another file are not known to be the same (made again once)."""
    images, location = _project(tmp_path)
    first = save_tiny_checkpoint(tmp_path / "a.safetensors", {"run": "a"})
    from fosp_core.infer import Predictor

    run = predictor_run(Predictor(first, device="cpu", input_size=64))
    with Project.open(images, location) as project:  # as a release before stamped it
        prelabel(project, _right, ModelStamp(checkpoint_digest(first), 0.15, 0.5, "plain", *run))
        assert all("weights" not in project.entry(i).extra[MASK_MODEL_KEY] for i in project.ids)
    before = _masks(images, location)
    _prelabel(location, first, 3)
    assert _masks(images, location) == before
    _prelabel(location, save_tiny_checkpoint(tmp_path / "b.safetensors", {"run": "b"}))
    assert all(a != b for a, b in zip(before.values(), _masks(images, location).values(), strict=True))


def test_weights_digest_reads_tensors_not_metadata(tmp_path: Path) -> None:
    from safetensors.torch import load_file, save_file

    a = save_tiny_checkpoint(tmp_path / "a.safetensors", {"run": "a"})
    tensors = load_file(str(a))
    key = sorted(tensors)[0]
    from fosp_core.checkpoint import read_metadata

    meta = dict(read_metadata(a))
    reordered = dict(reversed(list(tensors.items())))
    save_file(reordered, str(tmp_path / "b.safetensors"), metadata={**meta, "run": "b"})
    assert weights_digest(tmp_path / "b.safetensors") == weights_digest(a)
    tensors[key] = tensors[key].clone()
    tensors[key].view(-1)[0] += 1
    save_file(tensors, str(tmp_path / "c.safetensors"), metadata=meta)
    assert weights_digest(tmp_path / "c.safetensors") != weights_digest(a)
    save_file(load_file(str(a)), str(tmp_path / "d.safetensors"), metadata={**meta, "config": meta["config"].replace(
        '"tau"', '"tau" ', 1)})  # the same config written otherwise: the same model
    assert weights_digest(tmp_path / "d.safetensors") == weights_digest(a)
    (tmp_path / "e.pt").write_bytes(b"not safetensors")
    assert weights_digest(tmp_path / "e.pt") == ""  # not known: the stamp names the file only


def test_pre_label_alls_count_takes_the_same_weights_for_the_same_model(tmp_path: Path) -> None:
    """The app's Pre-label All counts (and its job stamps) with `counting_stamp`: after a pre-label with
    one file, the same weights in another file have nothing to replace."""
    from app.annotation.prelabel_runs import counting_stamp
    from fosp_core.analysis.settings import predictor_input
    from fosp_core.annotation.prelabel import prelabel_counts

    images, location = _project(tmp_path)
    first = save_tiny_checkpoint(tmp_path / "run-a.safetensors", {"run": "a", "card": "run-a.card.json"})
    again = save_tiny_checkpoint(tmp_path / "mine.safetensors", {"run": "a", "card": "mine.card.json"})
    other = save_tiny_checkpoint(tmp_path / "other.safetensors", seed=1)
    _prelabel(location, first)

    def chosen(ckpt: Path) -> tuple:
        return (ckpt, "cpu", "fp32", predictor_input("64", 64), None, 0.5, "plain")

    with Project.open(images, location) as project:
        tau = project.entry(project.ids[0]).extra[MASK_MODEL_KEY]["tau"]
        assert prelabel_counts(project, counting_stamp(chosen(first), tau)).predicted == 0
        assert prelabel_counts(project, counting_stamp(chosen(again), tau)).predicted == 0
        assert prelabel_counts(project, counting_stamp(chosen(other), tau)).predicted == 3
