"""Torture test of "an annotator's committed work is never lost, not even on a crash".

A worker process (`tests.unit.crash_worker`) edits a project of generated images at random - brush,
eraser, ignore band, polygons, flood fill, undo/redo, status changes, predictions, closing and
reopening - with ``JOURNAL_LIMIT`` lowered so that ``project.json`` is rewritten (and the journal
emptied) every few saves, in some rounds with those rewrites failing for lack of room (the saves then
go on by their journal lines), and reports each save it starts and each commit that returned. It is
SIGKILLed at random moments, or kills itself at the n-th call of a write step (half a temp file
written, just before or after an ``os.replace``, before an fsync, between the ``project.json``
rewrite and the journal's removal). In some rounds ``project.json`` is rewritten on a worker thread
as in the app, saves going on meanwhile, and killed during such a rewrite. After each kill the disk must hold every reported commit
exactly (mask bytes and status), the project must open for writing without error (the dead
worker's lock taken over), and no temporary file may be left once it is open. The next round's
worker starts from what the last one left (its recovery is tested too).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.project import Project
from tests.unit.crash_worker import (
    BG_KILL_POINTS,
    KILL_POINTS,
    Model,
    disk_state,
    make_images,
    mask_hash,
    stray_files,
)

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL") or os.name != "posix", reason="needs SIGKILL")

#: the worker's full-disk faults find a write's file through /proc/self/fd (Linux)
FULL_DISK_FAULTS = Path("/proc/self/fd").is_dir()


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))


def run_worker(folder: Path, seed: int, round_: int, limit: int, kill: str | None, stop_after: int | None,
               rng: np.random.Generator, *, full: float = 0.0, max_commits: int = 150,
               background: bool = False) -> tuple[list[str], int]:
    """Run one worker until it dies (`kill`) or has reported `stop_after` commits (then SIGKILL it
    a random few milliseconds later, inside whatever save comes next); `full`: the share of its
    project.json rewrites that fail for lack of room; `background`: rewrites on a worker thread.
    Returns (lines, pid)."""
    proc = subprocess.Popen([sys.executable, "-m", "tests.unit.crash_worker", str(folder), str(seed), str(round_),
                             str(limit), kill or "-", repr(full), "bg" if background else "-"], cwd=ROOT, env=_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stderr is not None
    lines: list[str] = []
    commits = 0
    deadline = time.monotonic() + 60
    try:
        while True:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line.strip())
            commits += line.startswith("C ")
            if commits >= (stop_after if stop_after is not None else max_commits) or time.monotonic() > deadline:
                time.sleep(float(rng.uniform(0, 0.004)))
                proc.send_signal(signal.SIGKILL)
                break
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    lines += [s.strip() for s in proc.stdout.read().splitlines() if s.strip()]  # printed before it died
    errors = [s for s in lines if s.startswith("E ")]
    assert not errors, f"worker failed: {errors}\n{proc.stderr.read()[-3000:]}"
    assert proc.returncode == -signal.SIGKILL, f"worker ended by itself ({proc.returncode}): {proc.stderr.read()}"
    return lines, proc.pid


def check_reopened(folder: Path, pids: list[int]) -> None:
    """Open the project as the app does after the crash: writable, nothing lost, nothing left over."""
    project_dir = folder / ".fosp"
    before = disk_state(project_dir)
    with Project.open(folder) as project:
        assert not project.read_only, project.read_only_reason
        took = project.lock.took_over
        assert took is None or took.pid in pids, f"lock of an unknown process taken over: {took}"
        assert not stray_files(project_dir), f"left after opening: {stray_files(project_dir)}"
        assert not (project_dir / "changes.jsonl").exists()  # folded into project.json on opening
        for image_id in project.ids:
            doc = project.open_document(image_id, autosave=False)
            saved = project.load_mask(image_id)
            expected = before[image_id]
            assert (mask_hash(saved), doc.status.value) == expected[:2], image_id
            if saved is not None:
                assert mask_hash(doc.mask) == expected[0]
    assert not (project_dir / "lock").exists()
    after = disk_state(project_dir)
    assert after == before, "opening and closing changed the saved state"
    json.loads((project_dir / "project.json").read_text(encoding="utf-8"))


def torture(tmp_path: Path, seed: int, rounds: int, background: bool | None = None) -> Model:
    """`rounds` workers on one project, each killed; checked after each kill. Returns the model.
    background: every round rewrites project.json on a worker thread and is killed at one of
    `BG_KILL_POINTS` or from outside (None: half the rounds rewrite so, drawn at random)."""
    rng = np.random.default_rng(seed)
    bg_rng = np.random.default_rng([seed, 2])  # drawn apart: `rng` draws the same rounds as before
    # a near-full disk (project.json rewrites failing, journal lines fitting) in some rounds; drawn
    # apart so that `rng` draws the same rounds as before it was added
    disk_rng = np.random.default_rng([seed, 1])
    shares = (0.0, 0.0, 0.5, 1.0) if FULL_DISK_FAULTS else (0.0,)
    folder = make_images(tmp_path / f"images-{seed}", seed)
    model, pids = Model(), []
    for round_ in range(rounds):
        limit = int(rng.integers(0, 4))
        bg = bool(bg_rng.random() < 0.5) if background is None else background
        if rng.random() < 0.5:
            kill, stop_after = None, int(rng.integers(1, 30))
        else:
            point = str(rng.choice(BG_KILL_POINTS if background else KILL_POINTS))
            most = 10 if point in ("state_written", "journal_unlinked") else 60
            kill, stop_after = f"{point}:{int(rng.integers(1, most))}", None
        full = float(disk_rng.choice(shares))
        if bg and point_of(kill) == "rewriting":
            limit = max(limit, 1)  # a rewrite after every few saves
        lines, pid = run_worker(folder, seed, round_, limit, kill, stop_after, rng, full=full, background=bg)
        pids.append(pid)
        problems = model.feed(lines)
        assert not problems, problems
        project_dir = folder / ".fosp"
        if not (project_dir / "project.json").exists():
            continue  # killed while creating the project: nothing was committed
        problems = model.check(disk_state(project_dir))
        assert not problems, f"seed {seed} round {round_} ({kill or 'killed from outside'}, limit {limit}, " \
                             f"full {full}, background {bg}): " \
                             f"{problems}\nlast lines: {lines[-6:]}"
        for rel in stray_files(project_dir):  # what a crash may leave: a write's temp file
            assert rel.name.startswith(".") and rel.suffix == ".tmp", rel
        if rng.random() < 0.4 or round_ == rounds - 1:
            check_reopened(folder, pids)
        # else the next worker opens what this one left: stale lock, journal, temporary files
    return model


# seeds 2 and 3 (16 worker processes in all were ~8 s of the 2-core CI's time): -m slow, beside the 30 seeds of
# test_sigkill_loses_no_committed_edit_many_seeds; seeds 0 and 1 stay in the default run (the same torture)
@pytest.mark.parametrize("seed", [0, 1, pytest.param(2, marks=pytest.mark.slow), pytest.param(3, marks=pytest.mark.slow)])
def test_sigkill_loses_no_committed_edit(tmp_path: Path, seed: int) -> None:
    model = torture(tmp_path, seed, rounds=4)
    assert model.commits > 0  # something was committed and checked


def test_sigkill_during_background_rewrites_loses_no_committed_edit(tmp_path: Path) -> None:
    """project.json rewritten on a worker thread while the main thread saves, killed in a rewrite."""
    model = torture(tmp_path, 1000, rounds=4, background=True)
    assert model.commits > 0


def point_of(kill: str | None) -> str:
    return "" if kill is None else kill.partition(":")[0]


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(100, 130))
def test_sigkill_loses_no_committed_edit_many_seeds(tmp_path: Path, seed: int) -> None:
    model = torture(tmp_path, seed, rounds=8)
    assert model.commits > 0
