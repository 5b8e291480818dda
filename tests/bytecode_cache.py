"""The run's bytecode, compiled once by the run's first process (no tests here).

Where PYTHONDONTWRITEBYTECODE is set (this machine, some CI images) no process writes a .pyc: each xdist
worker and each of the ~150 child processes the tests start (`python -m fosp_core ...`, `main.py
--screenshot`, ...) compiled the modules it imports from their source again (importing app.main_window and
fosp_core.cli: ~1.55 user CPU s without .pyc, ~0.95 s with), and each worker rewrote the asserts of every
test file again (pytest writes its rewritten .pyc only where bytecode may be written): a worker's collection
took ~23.5 CPU s, ~8.8 s with both caches filled. `compile_once` (tests/conftest.py's pytest_configure, in
the xdist controller or a plain run, before any worker starts) fills both: the interpreter's .pyc of app/,
fosp_core/ and tests/ (compileall: written whatever PYTHONDONTWRITEBYTECODE says) and pytest's rewritten
.pyc of the test files and conftests (written as pytest writes its own: the same file name, atomically).
Files whose cache is up to date are only checked (~0.5 s for the whole tree). A tree that cannot be written
(read-only, a full disk) is left as it is: the run goes on as before. __pycache__ is in .gitignore."""

from __future__ import annotations

import compileall
import importlib.util
import os
import struct
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest

__all__ = ["compile_once", "compile_sources", "rewrite_test_files"]

PACKAGES = ("app", "fosp_core", "tests")
"""The folders (under the repository root) whose modules the tests and their child processes import."""


def compile_once(config: pytest.Config, root: Path, packages: Sequence[str] = PACKAGES) -> None:
    """Both caches of `packages` under `root` filled (see the module doc); never raises."""
    try:
        compile_sources(root / name for name in packages)
        if config.getoption("assertmode", "rewrite") == "rewrite":
            tests = root / "tests"
            files = sorted(tests.rglob("test_*.py")) + sorted(tests.rglob("conftest.py")) if tests.is_dir() else []
            rewrite_test_files(config, files)
    except Exception:  # noqa: BLE001 - a cache only: the run goes on without it
        pass


def compile_sources(folders: Iterable[Path]) -> None:
    """The interpreter's .pyc of every module under `folders` (those up to date only checked)."""
    for folder in folders:
        if folder.is_dir():
            compileall.compile_dir(folder, quiet=2)  # one process: after the first run, mostly checks


def rewrite_test_files(config: pytest.Config, files: Sequence[Path]) -> int:
    """pytest's assert-rewritten .pyc of `files` (test files, conftests) written where its import hook reads
    them (`_pytest.assertion.rewrite`: the same name, header and code it writes itself where bytecode may be
    written); those up to date only checked. Split between two processes (a fork) where there is much to do.
    Answers how many this process wrote."""
    from _pytest.assertion import rewrite

    todo = []
    for fn in (Path(f).resolve() for f in files):
        pyc = rewrite.get_cache_dir(fn) / (fn.name[:-3] + rewrite.PYC_TAIL)
        if not _header_fresh(fn, pyc):
            todo.append((fn, pyc))
    child = os.fork() if len(todo) > 100 and _workers() > 1 else -1
    mine = todo if child < 0 else todo[child == 0::2]
    written = 0
    try:
        for fn, pyc in mine:
            try:
                stat, code = rewrite._rewrite_test(fn, config)
                pyc.parent.mkdir(exist_ok=True)
            except (OSError, SyntaxError, ValueError):
                continue  # the worker's import says what is wrong with it, as before
            written += rewrite._write_pyc(_Quiet(), code, stat, pyc)
    finally:
        if child == 0:
            os._exit(0)  # the forked half: nothing of pytest's to run at its exit
    if child > 0:
        os.waitpid(child, 0)
    return written


def _header_fresh(source: Path, pyc: Path) -> bool:
    """`pyc`'s header is the one pytest's `_read_pyc` accepts for `source` as it is now (magic, no flags,
    the source's mtime and size): read without loading the code."""
    try:
        stat = source.stat()
        with open(pyc, "rb") as file:
            header = file.read(16)
    except OSError:
        return False
    return header == struct.pack("<4sLLL", importlib.util.MAGIC_NUMBER, 0, int(stat.st_mtime) & 0xFFFF_FFFF,
                                 stat.st_size & 0xFFFF_FFFF)


def _workers() -> int:
    """Processes for the rewriting: two where two cores are usable on Linux (a fork there, after Qt's import
    at most, is safe; macOS's frameworks are not), else one."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return 1
    return 2 if len(os.sched_getaffinity(0)) > 1 else 1


class _Quiet:
    """The `AssertionState` that `_write_pyc` reports a write error to: ignored, as pytest's own is unread."""

    @staticmethod
    def trace(*_args: object) -> None:
        return None
