"""Making and reopening the annotation project of a big folder, alone (no window).

    python bench/bench_project_open.py [FOLDER] [--repeats 3] [--journal 400] [--profile]

FOLDER defaults to SMOKE5K's photos (../shared/data/smoke5k-train/img). Each project goes to a
temporary folder (nothing is written beside the images). Times (wall clock, and this process's
CPU time, which moves less on a shared machine), median of `--repeats`:

- list: the folder listed as the window's open does (`collect_image_paths`);
- create: `Project.open` of a folder without a project, given that listing (what the window's
  worker does; `prepare_projects` passes it on), and without it (the project lists the folder);
- reopen: `Project.open` of the existing project (``project.json`` read and validated);
- reopen + journal: the same after `--journal` saved changes left in ``changes.jsonl`` (a crash
  before the journal was folded in): the journal applied, ``project.json`` written again;
- prepare: `prepare_projects` (create, then reopen), which also maps every image path to its id,
  given the listing (as the window's open of one folder does) and not.

Prints a markdown table; `--profile` also prints cProfile's top functions of create and reopen.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.annotation.projects import prepare_projects  # noqa: E402
from fosp_core.annotation.document import Status  # noqa: E402
from fosp_core.annotation.project import Project  # noqa: E402
from fosp_core.session import collect_image_paths  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def default_folder() -> Path:
    return ROOT.parent / "shared" / "data" / "smoke5k-train" / "img"


def timed(make: Callable[[], Callable[[], object]], repeats: int) -> tuple[float, float]:
    """Median (wall, CPU) seconds of the call `make()` returns (`make` prepares, untimed). The CPU
    time (this process's) moves less than the wall time on a machine others are using."""
    walls, cpus = [], []
    for _ in range(repeats):
        call = make()
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return statistics.median(walls), statistics.median(cpus)


def profile(call: Callable[[], object], title: str, top: int = 18) -> None:
    prof = cProfile.Profile()
    prof.enable()
    call()
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(top)
    print(f"\n### {title}\n\n```\n{out.getvalue().strip()}\n```")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, nargs="?", default=default_folder())
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--journal", type=int, default=400, help="saved changes left in the journal")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="bench-project-"))
    folder = args.folder.resolve()
    found, _errors = collect_image_paths([folder])
    counter = iter(range(1 << 30))

    def fresh() -> Path:
        return scratch / f"p{next(counter)}"

    def opened(call: Callable[[], Project]) -> Callable[[], None]:
        return lambda: call().close()

    def create(listed: bool) -> Callable[[], None]:
        location = fresh()
        kwargs = {"images": found} if listed else {}
        return opened(lambda: Project.open(folder, location, **kwargs))

    existing = fresh()
    Project.open(folder, existing, images=found).close()

    def with_journal() -> Callable[[], None]:
        location = fresh()
        shutil.copytree(existing, location)
        project = Project.open(folder, location)
        for entry in project.entries[: args.journal]:
            project.set_status(entry.id, Status.REVIEWED)
        assert project.lock is not None
        project.lock.release()  # as a crash would leave it: the journal not folded in
        return opened(lambda: Project.open(folder, location))

    def prepare(location: Path, listed: bool = True) -> None:
        for item in prepare_projects([(folder, location)], {folder: found} if listed else None):
            assert item.opened.project is not None, item.opened.error
            item.opened.project.close()

    rows = [
        ("list the folder (`collect_image_paths`)", timed(lambda: lambda: collect_image_paths([folder]), args.repeats)),
        ("create, given the listing", timed(lambda: create(True), args.repeats)),
        ("create, listing the folder itself", timed(lambda: create(False), args.repeats)),
        ("reopen", timed(lambda: opened(lambda: Project.open(folder, existing)), args.repeats)),
        (f"reopen + journal of {args.journal} changes", timed(with_journal, args.repeats)),
        ("`prepare_projects`: create, given the listing", timed(lambda: (lambda loc=fresh(): prepare(loc)), args.repeats)),
        ("`prepare_projects`: reopen, given the listing", timed(lambda: lambda: prepare(existing), args.repeats)),
        ("`prepare_projects`: reopen, not given it", timed(lambda: lambda: prepare(existing, False), args.repeats)),
    ]
    print(f"{folder}: {len(found):,} images, median of {args.repeats}\n")
    print("| project of the folder | wall | CPU |")
    print("|---|---|---|")
    for name, (wall, cpu) in rows:
        print(f"| {name} | {wall:.2f} s | {cpu:.2f} s |")
    if args.profile:
        location = fresh()
        profile(lambda: Project.open(folder, location, images=found).close(), "create, given the listing")
        profile(lambda: Project.open(folder, existing).close(), "reopen")
        profile(lambda: prepare(fresh()), "prepare_projects: create, given the listing")
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
