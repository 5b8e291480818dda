"""The odd-input sweep through `fosp predict` (images): every odd image of tests/odd_inputs/images.py in
one folder. Good files are predicted (mask upright, of the image's shape), each bad one is named
with its reason, the exit code is 1 (README: some inputs failed), the input folder is untouched
and nothing is half-written in the output."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.cli import main
from fosp_core.cli.predict import unique_ids
from fosp_core.io.image_files import list_images_and
from tests.odd_inputs import IMAGES, good_image, mixed_folder

NOT_LISTED = ("folder_as_png", "gif_animated")  # links reaching no file are listed, to fail by name
SKIP_AS_ROOT = {"unreadable"} if os.geteuid() == 0 else set()  # root reads a chmod 000 file


@pytest.fixture()
def checkpoint(tiny_checkpoint_file: Path, one_torch_thread: None) -> Path:
    """The run's shared tiny checkpoint, predicted with on one torch thread (several threads on the
    shared 2 cores made the sweep 5-15x slower)."""
    return tiny_checkpoint_file


def _predict(*argv: str | Path) -> int:
    return main(["predict", *map(str, argv), "--input-size", "64", "--quiet"])


def _tree(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.lstat().st_size for p in sorted(folder.rglob("*"))}


def test_a_folder_of_every_odd_image_predicts_the_good_ones_and_names_each_bad_one(
    tmp_path: Path, checkpoint: Path, capsys: pytest.CaptureFixture
) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    made = {kind: odd.make(folder) for kind, odd in IMAGES.items() if kind not in SKIP_AS_ROOT}
    before = _tree(folder)

    code = _predict(folder, "--out", out, "--checkpoint", checkpoint)

    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert code == 1, err
    dead: list[Path] = []
    listed = sorted([*list_images_and(folder, (), dead=dead)[0], *dead])
    ids = dict(zip(listed, unique_ids(listed), strict=True))
    for kind, path in made.items():
        odd = IMAGES[kind]
        if path not in ids:  # not listed as image files: a folder named x.png, a GIF
            assert kind in NOT_LISTED, kind  # (GIF is a mask format: VOC's SegmentationClass)
            continue
        mask = out / "masks" / f"{ids[path]}.png"
        if odd.expect == "ok":
            assert mask.is_file(), f"{kind}: no mask ({err})"
            with Image.open(mask) as im:
                assert (im.height, im.width) == odd.shape, kind  # upright, as the user sees it
        else:
            assert not mask.exists(), kind
            line = next((ln for ln in err.splitlines() if path.name in ln), "")
            assert line.startswith("failed") and odd.expect in line, f"{kind}: {line!r}"
    assert _tree(folder) == before  # nothing written or deleted beside the inputs
    assert not [p for p in out.rglob("*") if p.name.startswith(".")]  # no temp file left


def test_an_image_with_a_name_near_the_file_system_limit_gets_its_mask(
    tmp_path: Path, checkpoint: Path, capsys: pytest.CaptureFixture
) -> None:
    """A 250-byte name (the limit is 255): the mask of the same name is written; its temporary file
    (".<name>.<random>.tmp") was 'File name too long' and the image failed."""
    path = good_image(tmp_path, "s" * 246 + ".png")

    code = _predict(path, "--out", tmp_path / "out", "--checkpoint", checkpoint)

    assert code == 0, capsys.readouterr().err
    assert (tmp_path / "out" / "masks" / path.name).is_file()


def test_bad_files_given_by_name_fail_one_by_one_and_the_good_one_is_written(
    tmp_path: Path, checkpoint: Path, capsys: pytest.CaptureFixture
) -> None:
    good, bad = mixed_folder(tmp_path / "in")

    code = _predict(*bad, good[0], "--out", tmp_path / "out", "--checkpoint", checkpoint)

    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert all(any(ln.startswith("failed") and p.name in ln for ln in err.splitlines()) for p in bad), err
    mask = np.asarray(Image.open(tmp_path / "out" / "masks" / f"{good[0].stem}.png"))
    assert mask.shape == (48, 64)


@pytest.mark.parametrize("kind", ["folder_as_png", "broken_symlink"])
def test_a_named_input_that_is_no_image_file_is_a_usage_error_or_nothing_to_do(
    tmp_path: Path, checkpoint: Path, capsys: pytest.CaptureFixture, kind: str
) -> None:
    path = IMAGES[kind].make(tmp_path)

    code = _predict(path, "--out", tmp_path / "out", "--checkpoint", checkpoint)

    err = capsys.readouterr().err
    assert "Traceback" not in err and path.name in err
    assert code == (3 if kind == "folder_as_png" else 2), err  # an empty folder / a missing path
