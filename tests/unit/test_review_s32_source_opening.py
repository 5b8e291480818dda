"""Review of session 32's move of the app's per-source opening into `fosp_core.annotation.source_opening.open_source`
(for ``fosp project init``): it must behave as `app.annotation.projects.prepare_projects` did.

Before the move, the whole per-source block ran under ``except UnicodeEncodeError`` (a ProjectError "a file name
in it is not valid UTF-8"), the new-project check `_is_new` included. open_source called `_is_new` outside its
``try``: a read-only folder whose own path is not valid UTF-8 (a Latin-1 'café' share on Linux) opened without
the open's listing (the app's project of an image opened alone, line 197 of app/annotation/projects.py) raised a
bare UnicodeEncodeError out of `default_location`'s digest, which prepare_projects does not catch (an open
worker's traceback instead of the folder's error line)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.annotation.project import ProjectError
from fosp_core.annotation.source_opening import open_source


def _latin1_share(tmp_path: Path) -> Path:
    folder = tmp_path / os.fsdecode(b"caf\xe9")  # not valid UTF-8: a surrogate escape in the path's text
    try:
        folder.mkdir()
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses file names that are not valid UTF-8")
    Image.fromarray(np.zeros((8, 8, 3), np.uint8)).save(folder / "a.png")
    folder.chmod(0o555)  # read-only for everyone, root included (`writable_folder`): its project goes to the cache
    return folder


def test_a_read_only_folder_not_named_in_utf8_is_a_project_error(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    folder = _latin1_share(tmp_path)
    try:
        with pytest.raises(ProjectError, match="not valid UTF-8"):
            open_source(folder, None, None)  # the folder listed here, as for an image opened alone
        assert not (tmp_path / "cache" / "projects").exists() or not any((tmp_path / "cache" / "projects").iterdir())
    finally:
        folder.chmod(0o755)


def test_the_listed_open_of_that_folder_says_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The open's listing given (the app's folder open, `fosp project init`): refused as before, a ProjectError."""
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    folder = _latin1_share(tmp_path)
    try:
        with pytest.raises(ProjectError, match="not valid UTF-8"):
            open_source(folder, None, [os.path.join(os.fspath(folder), "a.png")])
    finally:
        folder.chmod(0o755)
