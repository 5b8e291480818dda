"""Windows without long paths turned on takes paths of at most 259 characters; past that a write fails with
'The system cannot find the path specified' (ERROR_PATH_NOT_FOUND). A SmokeSeg export into a deep folder
(its temporary folder ``.<name>.<random>`` beside it, then ``SegmentationClass/<id>.png``) broke off with just
that: 'cannot write the dataset: The system cannot find the path specified', naming neither the path nor
its length nor what to do. Now it says the path (the dataset's, not the temporary folder's), its length,
Windows' limit, and to choose a shorter folder or turn long paths on; the temporary folder is removed as
before. Windows is simulated: ``os.name`` as `fosp_core.windows_names` sees it, and the writer refusing a
path past 259 characters as Windows does."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from fosp_core import windows_names
from fosp_core.data import smokeseg
from fosp_core.data.smokeseg import SmokeSegWriteError, write_smokeseg
from fosp_core.data.types import Sample
from fosp_core.windows_names import WINDOWS_PATH_MAX, path_too_long_words


class _Windows:
    name = "nt"

    def __getattr__(self, attr: str) -> object:
        return getattr(os, attr)


def _refused(path: Path) -> FileNotFoundError:
    exc = FileNotFoundError(2, "The system cannot find the path specified", str(path))
    exc.winerror = 3  # type: ignore[attr-defined]  # ERROR_PATH_NOT_FOUND
    return exc


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(windows_names, "os", _Windows())
    real = smokeseg._write_one

    def write_one(sample: Sample, tmp: Path, dst: Path, seen: dict[str, float], resize_to: int | None) -> float:
        for sub, ext in (("JPEGImages", "jpg"), ("SegmentationClass", "png")):
            if len(str(tmp / sub / f"{sample.id}.{ext}")) > WINDOWS_PATH_MAX:
                raise _refused(tmp / sub / f"{sample.id}.{ext}")
        return real(sample, tmp, dst, seen, resize_to)

    monkeypatch.setattr(smokeseg, "_write_one", write_one)


def _samples(ids: list[str]) -> list[Sample]:
    rng = np.random.default_rng(0)
    mask = np.zeros((16, 24), np.uint8)
    mask[3:9, 4:14] = 1
    return [Sample(i, rng.integers(0, 255, (16, 24, 3), np.uint8), mask) for i in ids]


def test_an_export_past_windows_path_limit_says_so(tmp_path: Path, windows: None) -> None:
    deep = tmp_path / ("a" * 60) / ("b" * 60) / ("c" * 60)
    dst = deep / "smokeseg"
    long_id = "x" * max(1, WINDOWS_PATH_MAX - len(str(dst)) - 20)  # fits the dataset, not its temporary folder
    with pytest.raises(SmokeSegWriteError) as caught:
        write_smokeseg(_samples(["short", long_id]), dst)
    words = caught.value.reason
    assert "characters" in words and f"more than Windows takes ({WINDOWS_PATH_MAX})" in words, words
    assert "shorter path" in words and "LongPathsEnabled" in words, words
    assert str(dst / "JPEGImages") in words, words  # the dataset's path, not the temporary folder's
    assert not dst.exists() and list(deep.iterdir()) == [], list(deep.iterdir())  # nothing half written left


def test_a_short_export_is_written_as_before(tmp_path: Path, windows: None) -> None:
    dst = write_smokeseg(_samples(["a", "b"]), tmp_path / "smokeseg")
    assert sorted(p.name for p in (dst / "JPEGImages").iterdir()) == ["a.jpg", "b.jpg"]


def test_the_same_failure_elsewhere_is_said_as_it_is(tmp_path: Path) -> None:
    assert path_too_long_words(_refused(tmp_path / ("x" * 300))) is None  # POSIX: not Windows' limit


def test_a_project_save_past_windows_path_limit_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A mask or a project file saved deep in a folder tree: 'cannot write: The system cannot find the path
    specified' before; now the path, the limit and what to do."""
    from fosp_core.annotation.storage import StorageError, atomic_write
    from fosp_core.io import atomic

    monkeypatch.setattr(windows_names, "os", _Windows())
    target = tmp_path / ("d" * 120) / ("m" * 120 + ".png")

    def temp_beside(path: Path) -> tuple[int, Path]:
        raise _refused(path.parent / f".{path.name}.abcd1234.tmp")  # mkstemp refused, as there

    monkeypatch.setattr(atomic, "_temp_beside", temp_beside)
    with pytest.raises(StorageError) as caught:
        atomic_write(target, b"png")
    words = caught.value.reason
    assert words.startswith("cannot write: a path of "), words  # the error names the path before it
    assert "LongPathsEnabled" in words, words
