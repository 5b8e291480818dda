"""`ImageSession` takes its own paths as they are: resolved when they were opened, they are not resolved again
(a look at the disk: on a share that stopped answering, the window held) when the window names an open image
(`index_of`: its thumbnail, a failure; `set_current_image`: the decoded image). Any other path is still resolved
(session 36)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from fosp_core.io.images import LoadedImage
from fosp_core.session import ImageSession


def _image(path: Path) -> LoadedImage:
    return LoadedImage(np.zeros((2, 2, 3), np.uint8), path, "PNG", "RGB", 8, False, 1)


@pytest.fixture()
def opened(tmp_path: Path) -> tuple[ImageSession, list[Path]]:
    paths = []
    for name in ("a.png", "b.png", "c.png"):
        (tmp_path / name).write_bytes(b"")
        paths.append((tmp_path / name).resolve())
    session = ImageSession()
    session.add(paths, resolved=True)
    return session, paths


def test_stall_s36b_open_paths_are_not_resolved_again(opened: tuple[ImageSession, list[Path]],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    session, paths = opened
    resolved: list[str] = []
    real = os.path.realpath
    monkeypatch.setattr(os.path, "realpath", lambda path, *a, **k: resolved.append(str(path)) or real(path, *a, **k))
    assert session.index_of(paths[1]) == 1 and session.index_of(str(paths[2])) == 2
    assert not session.set_current_image(_image(paths[1]))  # a stale one: not the current image
    assert session.set_current_image(_image(paths[0])) and session.current_image is not None
    assert session.mark_failed(paths[2], "broken") is not None and len(session) == 2
    assert resolved == []


def test_stall_s36b_other_paths_are_still_resolved(opened: tuple[ImageSession, list[Path]], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    session, paths = opened
    link = tmp_path / "link.png"
    link.symlink_to(paths[0])
    monkeypatch.chdir(tmp_path)
    assert session.index_of(link) == 0 and session.index_of("b.png") == 1 and session.index_of("none.png") == -1
    assert session.set_current_image(_image(link)) and session.current_image is not None
    assert session.mark_failed(Path("c.png"), "broken") is not None and len(session) == 2
