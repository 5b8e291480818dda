"""`fosp compare --csv`: the setup columns say what the command line ran, as the app's Save CSV… says
what the dialog ran - the checkpoints' model variants (read from their metadata) and which images
(those named, or a project's), not the dialog's "all open images" of a window that is not there."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
import torch

from fosp_core.annotation.project import Project
from fosp_core.cli import main
from tests.unit.test_train_support import save_tiny_checkpoint


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text())))


def test_the_csv_names_the_variants_and_the_images_the_command_line_gave(demo_dir: Path, tmp_path: Path) -> None:
    a = save_tiny_checkpoint(tmp_path / "a.safetensors")
    b = shutil.copyfile(a, tmp_path / "b.safetensors")
    image = sorted((demo_dir / "JPEGImages").glob("*.jpg"))[0]
    out = tmp_path / "c.csv"
    args = ["compare", str(a), str(b), str(image), "--input-size", "64", "--device", "cpu", "--csv", str(out)]
    assert main(args) == 0
    row = _rows(out)[0]
    assert (row["variant A"], row["variant B"]) == ("fosp-s", "fosp-s")
    assert row["images"] == "the images named"
    assert main([*args, "--labelled-only"]) == 0
    assert _rows(out)[0]["images"] == "the images named, only those with a ground truth"

    photos = tmp_path / "photos"
    photos.mkdir()
    shutil.copyfile(image, photos / image.name)
    Project.open(photos).close()  # at photos/.fosp, no mask
    assert main(args[:3] + ["--project", str(photos / ".fosp"), *args[4:]]) == 0
    assert _rows(out)[0]["images"] == "the images of project photos"


def test_the_csv_names_the_device_it_ran_on_not_auto(demo_dir: Path, tmp_path: Path) -> None:
    """As the app's CSV does (its README: 'also when the panel says auto')."""
    from fosp_core.infer.devices import resolve_device

    a = save_tiny_checkpoint(tmp_path / "a.safetensors")
    image = sorted((demo_dir / "JPEGImages").glob("*.jpg"))[0]
    out = tmp_path / "c.csv"
    assert main(["compare", str(a), str(a), str(image), "--input-size", "64", "--csv", str(out)]) == 0  # auto
    assert _rows(out)[0]["device"] == str(resolve_device("auto")) != "auto"
