"""The folder `write_smokeseg` writes was its temporary folder moved into place, made by
``tempfile.mkdtemp``: mode 0700 whatever the umask, so a dataset exported for a colleague, or for a
training job run as another user, could be read by nobody else (its files were 0644, the folders
around them closed). The dataset's folders are made as ``mkdir`` makes them (0777 less the umask),
or keep the mode of the empty folder the user made for it."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from fosp_core.data.smokeseg import write_smokeseg
from fosp_core.data.types import Sample


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def _samples() -> list[Sample]:
    mask = np.zeros((8, 8), np.uint8)
    mask[2:5, 2:5] = 1
    return [Sample("a", np.full((8, 8, 3), 90, np.uint8), mask)]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_dataset_folder_is_made_as_mkdir_makes_it(tmp_path: Path, umask_022: None) -> None:
    dst = write_smokeseg(_samples(), tmp_path / "ds")
    assert _mode(dst) == 0o755
    assert _mode(dst / "JPEGImages") == 0o755


def test_an_empty_folder_the_user_made_keeps_its_mode(tmp_path: Path, umask_022: None) -> None:
    dst = tmp_path / "shared"
    dst.mkdir()
    dst.chmod(0o775)
    write_smokeseg(_samples(), dst)
    assert _mode(dst) == 0o775


def test_a_replaced_dataset_keeps_the_mode_of_the_one_it_replaces(tmp_path: Path, umask_022: None) -> None:
    dst = write_smokeseg(_samples(), tmp_path / "ds")
    dst.chmod(0o750)
    write_smokeseg(_samples(), dst, overwrite=True)
    assert _mode(dst) == 0o750


def test_a_folder_it_may_not_write_in_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A destination in a folder the user may not write said "DST: cannot create a folder next to it:
    Permission denied", speaking of the writer's temporary folder; it names the folder now."""
    import errno
    import tempfile

    from fosp_core.data.smokeseg import SmokeSegWriteError

    def denied(*_args: object, **kwargs: object) -> str:
        raise PermissionError(errno.EACCES, "Permission denied", kwargs.get("dir"))

    monkeypatch.setattr(tempfile, "mkdtemp", denied)
    with pytest.raises(SmokeSegWriteError) as raised:
        write_smokeseg(_samples(), tmp_path / "shared" / "ds")
    assert raised.value.reason == f"cannot write in {tmp_path / 'shared'}: Permission denied"


def test_a_file_system_that_refuses_chmod_still_takes_the_dataset(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A USB stick formatted FAT refuses chmod (EPERM): the mode is its mount's, the export goes on."""
    import errno

    def refused(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "chmod", refused)
    dst = write_smokeseg(_samples(), tmp_path / "ds")
    assert (dst / "JPEGImages" / "a.jpg").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".ds.tmp-")]
