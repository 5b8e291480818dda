"""The run's bytecode compiled once by its first process (tests/bytecode_cache.py, tests/conftest.py):
under PYTHONDONTWRITEBYTECODE each xdist worker and each child process compiled the tree again, and each
worker rewrote every test file's asserts again."""

from __future__ import annotations

import importlib.util
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from _pytest.assertion import rewrite

from tests.bytecode_cache import _workers, compile_once, compile_sources, rewrite_test_files
from tests.conftest import ROOT


def _pyc_fresh(source: Path, pyc: Path) -> bool:
    """`pyc` is the interpreter's bytecode of `source` as it is now (the header the import checks)."""
    if not pyc.is_file():
        return False
    header = pyc.read_bytes()[:16]
    stat = source.stat()
    return header == struct.pack("<4sLLL", importlib.util.MAGIC_NUMBER, 0, int(stat.st_mtime) & 0xFFFF_FFFF,
                                 stat.st_size & 0xFFFF_FFFF)


def _rewritten(fn: Path) -> Path:
    return rewrite.get_cache_dir(fn) / (fn.name[:-3] + rewrite.PYC_TAIL)


def test_the_run_s_first_process_compiled_the_tree_for_the_others() -> None:
    source = ROOT / "app" / "main_window.py"
    assert _pyc_fresh(source, Path(importlib.util.cache_from_source(str(source)))), \
        "app/main_window.py has no up-to-date .pyc: child processes compile it again"
    here = Path(__file__).resolve()
    assert rewrite._read_pyc(here, _rewritten(here)) is not None, \
        "this test file has no rewritten .pyc: each xdist worker rewrote its asserts again"


def test_both_caches_are_filled_and_only_checked_the_next_time(tmp_path: Path, request: pytest.FixtureRequest,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "app").mkdir()
    module = tmp_path / "app" / "window.py"
    module.write_text("VALUE = 1\n")
    (tmp_path / "tests").mkdir()
    test = tmp_path / "tests" / "test_it.py"
    test.write_text("def test_it():\n    assert 1 + 1 == 2\n")
    compile_once(request.config, tmp_path, ("app", "tests"))
    assert _pyc_fresh(module, Path(importlib.util.cache_from_source(str(module))))
    code = rewrite._read_pyc(test, _rewritten(test))
    assert code is not None and "@pytest_ar" in code.co_names, "the cached code is not pytest's rewrite"

    rewritten: list[Path] = []
    real = rewrite._rewrite_test
    monkeypatch.setattr(rewrite, "_rewrite_test", lambda fn, config: rewritten.append(fn) or real(fn, config))
    compile_once(request.config, tmp_path, ("app", "tests"))
    assert rewritten == [], "an up-to-date cache was written again"


def test_a_tree_that_cannot_be_written_does_not_fail_the_run(tmp_path: Path,
                                                            request: pytest.FixtureRequest) -> None:
    for name in ("app", "tests"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__pycache__").write_text("a file where the cache folder goes\n")
    (tmp_path / "app" / "window.py").write_text("VALUE = 1\n")
    (tmp_path / "tests" / "test_it.py").write_text("def test_it():\n    assert True\n")
    compile_sources([tmp_path / "app", tmp_path / "tests"])  # no error
    assert rewrite_test_files(request.config, [tmp_path / "tests" / "test_it.py"]) == 0
    assert (tmp_path / "app" / "__pycache__").is_file()


_SPLIT = """
import sys
from pathlib import Path
from _pytest.assertion import rewrite
from _pytest.config import _prepareconfig
from tests.bytecode_cache import rewrite_test_files
root = Path(sys.argv[1])
config = _prepareconfig(["-p", "no:cacheprovider", "-p", "no:xdist", str(root)])
files = sorted((root / "tests").glob("test_*.py"))
wrote = rewrite_test_files(config, files)
cached = sum(rewrite._read_pyc(f, rewrite.get_cache_dir(f) / (f.name[:-3] + rewrite.PYC_TAIL)) is not None
             for f in files)
print(wrote, cached, len(files))
"""


def test_many_files_are_split_between_two_processes_and_all_written(tmp_path: Path) -> None:
    """Where there is much to rewrite (a bare tree: ~1100 files) the first process forks and each half writes
    its share (run in a child: a fork of an xdist worker holding Qt's threads is not this test's business)."""
    (tmp_path / "tests").mkdir()
    for i in range(120):
        (tmp_path / "tests" / f"test_m{i}.py").write_text(f"def test_{i}():\n    x = {i}\n    assert x == {i}\n")
    done = subprocess.run([sys.executable, "-c", _SPLIT, str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    wrote, cached, total = map(int, done.stdout.split())
    assert (wrote, cached, total) == (120 // _workers(), 120, 120)
