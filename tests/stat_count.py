"""Counting the file-system calls (os.stat, os.lstat) a piece of code makes: the lookup-pass tests bound them."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest


def counted_stats(monkeypatch: pytest.MonkeyPatch, run: Callable[[], object]) -> tuple[object, int]:
    """(what `run()` returned, how many os.stat/os.lstat calls it made); the patches are undone after."""
    calls: list[object] = []
    stat, lstat = os.stat, os.lstat
    monkeypatch.setattr(os, "stat", lambda *a, **k: calls.append(a[0]) or stat(*a, **k))
    monkeypatch.setattr(os, "lstat", lambda *a, **k: calls.append(a[0]) or lstat(*a, **k))
    try:
        return run(), len(calls)
    finally:
        monkeypatch.undo()
