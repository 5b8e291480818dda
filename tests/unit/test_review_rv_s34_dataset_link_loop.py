"""A SmokeSeg dataset whose ``JPEGImages/`` holds a symbolic link that leads to itself (a loop; a sync tool or
a careless ``ln -s`` makes one) must still open: the link is named left out, the other images listed, and the
project's new-image following (e337459f: `fosp_core.annotation.dataset_listing`) takes the image added beside it.

Before, the open's listing (`fosp_core.open_paths.collect_image_paths`, which the app's open worker and
``fosp project init`` call) resolved the looping link with ``Path.resolve``, which raises RuntimeError ("Symlink
loop") on Python before 3.13: the whole dataset could not be opened, from the app or the command line."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from fosp_core.annotation.source_opening import open_source
from fosp_core.open_paths import collect_image_paths

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="needs symbolic links")


def _listing(dataset: Path) -> tuple[list[str], list[str]]:
    found, errors = collect_image_paths([dataset])
    return [os.path.basename(os.fspath(path)) for path in found], [str(error) for error in errors]


def test_review_rv_s34_a_looping_link_in_jpegimages_leaves_the_dataset_openable(tmp_path: Path) -> None:
    dataset = tmp_path / "demo"
    shutil.copytree(DEMO, dataset)
    images = dataset / "JPEGImages"
    names = sorted(path.name for path in images.iterdir())
    found, _ = _listing(dataset)
    with open_source(dataset, None, [os.fspath(images / name) for name in found]) as project:
        before = list(project.ids)
    os.symlink("loop.jpg", images / "loop.jpg")  # leads to itself
    shutil.copyfile(images / names[0], images / "added.jpg")

    found, errors = _listing(dataset)
    assert sorted(found) == sorted([*names, "added.jpg"]), "every real image listed, the loop left out"
    assert any("loop" in error for error in errors), "the looping link is named"
    with open_source(dataset, None, [os.fspath(images / name) for name in found]) as project:
        assert project.ids == [*before, "added"] and project.listing.added == ["added"]
