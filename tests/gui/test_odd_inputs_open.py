"""The odd-input sweep through the app's open: a folder holding every odd image of
tests/odd_inputs/images.py. One bad file stops nothing: the good ones stay open (an EXIF-rotated one shown
upright), each bad one is told once with its name and reason (a link reaching no file when the folder opens),
the folder is left as it was. A file
whose name is no UTF-8 is told (it made the whole open fail: UnicodeEncodeError writing the
project)."""

from __future__ import annotations

import os
from pathlib import Path

from app.services import CollectingErrorReporter
from fosp_core.io.images import list_images
from tests.odd_inputs import IMAGES

from .conftest import WindowFactory

SKIP_AS_ROOT = {"unreadable"} if os.geteuid() == 0 else set()


def _tree(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.lstat().st_size for p in sorted(folder.rglob("*"))}


def test_a_folder_of_every_odd_image_opens_the_good_ones_and_tells_each_bad_one(
    qtbot, make_window: WindowFactory, tmp_path: Path
) -> None:
    folder = tmp_path / "odd"
    folder.mkdir()
    made = {kind: odd.make(folder) for kind, odd in IMAGES.items() if kind not in SKIP_AS_ROOT}
    listed = set(list_images(folder))
    good = {made[k].name for k, odd in IMAGES.items() if k in made and odd.expect == "ok" and made[k] in listed}
    bad = {made[k].name: odd.expect for k, odd in IMAGES.items() if k in made and odd.expect != "ok"
           and made[k] in listed}
    # links reaching no file are never listed: told once when the folder opens
    bad.update({made[k].name: odd.expect for k, odd in IMAGES.items() if k in made and made[k].is_symlink()
                and not made[k].exists()})
    # a name of Latin-1 bytes: the project file (UTF-8 JSON) cannot hold it; told, shown escaped
    latin1 = made["non_utf8_name"]
    good.discard(latin1.name)
    bad[r"caf\xe9-latin1.png"] = "not valid UTF-8"
    before = _tree(folder)
    reporter = CollectingErrorReporter()
    window = make_window(error_reporter=reporter)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"

    window.open_paths([folder], remember=False)

    for path in sorted(listed - {latin1}):  # a file is checked when decoded: visit each one
        if path in window.session.paths:
            window.session.set_current(window.session.paths.index(path))
            qtbot.waitUntil(lambda p=path: p not in window.session.paths  # noqa: B023
                            or (window.session.current_image is not None
                                and window.session.current_image.path == p), timeout=10_000)

    def checked() -> None:
        assert {e.path.name for e in reporter.errors} == set(bad)
    qtbot.waitUntil(checked, timeout=10_000)
    for error in reporter.errors:
        assert bad[error.path.name] in error.reason, str(error)
    assert len(reporter.errors) == len(bad)  # each told once
    assert {p.name for p in window.session.paths} == good
    rotated = next(i for i, p in enumerate(window.session.paths) if p.name == "exif6.jpg")
    window.session.set_current(rotated)

    def upright() -> None:
        image = window.session.current_image
        assert image is not None and image.path.name == "exif6.jpg"
        assert window.canvas.image_shape == IMAGES["jpeg_exif6"].shape
    qtbot.waitUntil(upright, timeout=10_000)
    assert _tree(folder) == before
