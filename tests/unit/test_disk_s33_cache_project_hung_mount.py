"""A read-only folder's cache project is found again under another path by looking at the images folder of
every cache project of a folder of the same name (`fosp_core.annotation.project_files._made_for`). One of them on
a mount that stopped answering (a share gone) hung the lookup, and the opening with it, for good. Each is now
looked at on a thread of its own, all waited for a bounded time: the hung one is passed over, the right one
found. Simulated: `one_folder` blocks on an Event for the dead share's folder (released at the end)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from fosp_core.annotation import project_files


def _cache_project(projects: Path, name: str, root: Path, created: float) -> Path:
    folder = projects / name
    folder.mkdir(parents=True)
    (folder / project_files.PROJECT_FILE).write_text(json.dumps({"images_root": str(root), "created": created}))
    return folder


def test_a_hung_mount_behind_a_same_named_project_does_not_hang_the_lookup(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(project_files, "writable_folder", lambda _folder: False)
    monkeypatch.setattr(project_files, "SAME_FOLDER_WAIT_S", 0.5, raising=False)
    share = tmp_path / "Photos"
    share.mkdir()
    alias = tmp_path / "other" / "Photos"
    alias.parent.mkdir()
    alias.symlink_to(share, target_is_directory=True)
    projects = tmp_path / "cache" / "projects"
    dead_root = tmp_path / "dead" / "Photos"
    _cache_project(projects, "Photos-0000000000", dead_root, 1.0)  # older, first in order: its share is gone
    made = project_files.default_location(share)
    mine = _cache_project(projects, made.name, share, 2.0)

    released, stuck = threading.Event(), threading.Event()
    real = project_files.one_folder

    def one_folder(one: Path, other: Path) -> bool:
        if one == dead_root:
            stuck.set()
            released.wait(120)  # the share does not answer
            raise OSError("gone")
        return real(one, other)

    monkeypatch.setattr(project_files, "one_folder", one_folder)
    found: list[Path] = []
    lookup = threading.Thread(target=lambda: found.append(project_files.default_location(alias)), daemon=True)
    try:
        lookup.start()
        lookup.join(20)  # a bound only so that the old code fails instead of hanging the run
        assert stuck.is_set()
        assert found == [mine], "the lookup hung on the dead share's project"
    finally:
        released.set()
