"""SmokeSeg writer, a destination that is a symbolic link (``~/datasets/current -> /mnt/big/smoke-v3``):
replacing it replaced the link itself with a folder (the data meant for the big drive landed beside the
link) and left the old dataset's link behind as a hidden ``.current.old-*`` (rmtree refuses a link);
an empty folder behind a link failed with 'Not a directory'. The export now writes through the link:
its target gets the dataset, the link stays as it was, and nothing else is left in either folder. A
link that leads nowhere is refused in words that say so."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from fosp_core.data.smokeseg import SmokeSegWriteError, write_smokeseg
from fosp_core.data.types import Sample


def _samples(ids: str) -> list[Sample]:
    image = np.full((16, 16, 3), 90, np.uint8)
    mask = np.zeros((16, 16), np.uint8)
    mask[4:8, 4:8] = 1
    return [Sample(i, image, mask) for i in ids]


def _layout(tmp_path: Path) -> tuple[Path, Path]:
    """(the link, the folder it leads to), in two folders of their own."""
    (tmp_path / "home").mkdir()
    (tmp_path / "big").mkdir()
    target = tmp_path / "big" / "smoke-v3"
    link = tmp_path / "home" / "current"
    return link, target


def _ids(root: Path) -> list[str]:
    return sorted(p.stem for p in (root / "JPEGImages").iterdir())


def test_replacing_a_dataset_behind_a_link_writes_through_it(tmp_path: Path) -> None:
    link, target = _layout(tmp_path)
    write_smokeseg(_samples("ab"), target)
    link.symlink_to(target, target_is_directory=True)
    assert write_smokeseg(_samples("xyz"), link, overwrite=True) == link
    assert link.is_symlink() and os.readlink(link) == str(target)  # the link kept, as it was
    assert _ids(target) == ["x", "y", "z"]  # the new dataset where the link leads
    assert sorted(p.name for p in (tmp_path / "home").iterdir()) == ["current"]  # no .current.old-* left
    assert sorted(p.name for p in (tmp_path / "big").iterdir()) == ["smoke-v3"]  # nor .smoke-v3.old/tmp-*


def test_an_empty_folder_behind_a_link_takes_the_dataset(tmp_path: Path) -> None:
    link, target = _layout(tmp_path)
    target.mkdir()
    link.symlink_to(target, target_is_directory=True)
    write_smokeseg(_samples("ab"), link)
    assert link.is_symlink() and _ids(target) == ["a", "b"]
    assert sorted(p.name for p in (tmp_path / "big").iterdir()) == ["smoke-v3"]


def test_a_full_folder_behind_a_link_is_refused_without_overwrite(tmp_path: Path) -> None:
    link, target = _layout(tmp_path)
    write_smokeseg(_samples("ab"), target)
    link.symlink_to(target, target_is_directory=True)
    with pytest.raises(SmokeSegWriteError, match="not empty"):
        write_smokeseg(_samples("xyz"), link)
    assert _ids(target) == ["a", "b"] and link.is_symlink()


def test_a_link_that_leads_nowhere_is_refused(tmp_path: Path) -> None:
    link, target = _layout(tmp_path)
    link.symlink_to(target, target_is_directory=True)  # its drive not mounted, its folder deleted
    with pytest.raises(SmokeSegWriteError, match="symbolic link to .*smoke-v3, which does not exist"):
        write_smokeseg(_samples("ab"), link)
    assert link.is_symlink() and not target.exists()
    assert sorted(p.name for p in (tmp_path / "home").iterdir()) == ["current"]
    assert sorted(p.name for p in (tmp_path / "big").iterdir()) == []
