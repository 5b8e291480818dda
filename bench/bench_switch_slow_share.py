"""The GUI thread while going from image to image in a folder on a share slow to answer: how long the window stops
turning at each image when each resolving of a path under the share (``os.path.realpath``, through which
``Path.resolve`` goes, and ``os.path.islink``) takes a while.

    python bench/bench_switch_slow_share.py [--images 40] [--steps 10] [--call-ms 100] [--repeats 1] [--before TREE]
                                            [--project-stats]

--project-stats slows every ``os.stat`` of a path in the folder's project (``.fosp/``: the image's mask file, its
recovery log) too: the look at the shown image's mask file that `Project.open_document` made on the GUI thread
before session 36's D3 (``SavedFiles.current``; "before": ``git archive`` of the commit before it).

A folder of --images tiny JPEGs (`bench_open_slow_listing.build_folder`) is opened in a window (offscreen; HOME
and the caches in a scratch folder; its project made inside the folder, as on a share) with nothing slowed; then
each resolving under the share is slowed by --call-ms (the image files' included: resolving an image's path looks
at each folder on its way) and the window goes --steps images on (``ImageSession.next``), each time until the image
is shown with its document. Each run is a child process importing the code of a tree: "after" is this checkout,
"before" is --before (e.g. ``git archive`` of the commit before session 36's af51f4dc: the image's path was
resolved again on the GUI thread to take the decoded image, its thumbnail, its project and document, its map).

Prints a markdown table per tree: the longest gap between two beats of a 3 ms timer on the GUI thread while
stepping, the median time from ``next`` to the image shown with its document, and the slowed calls the GUI thread
made (all steps).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

from bench_open_slow_listing import ROOT_TMP, build_folder
from gui_child import Heart, cell, run_trees, window_in


def slow_share(root: Path, call_ms: float, gui_calls: list[str], project: Path | None = None) -> None:
    """Slow ``os.path.realpath`` / ``os.path.islink`` of paths under `root` by `call_ms` (and ``os.stat`` of paths
    under `project` when given); the GUI thread's calls are counted in `gui_calls`."""
    main = threading.main_thread()
    slowed_calls = [(os.path, "realpath", str(root)), (os.path, "islink", str(root))]
    if project is not None:
        slowed_calls.append((os, "stat", str(project)))
    for module, name, prefix in slowed_calls:
        real = getattr(module, name)

        def slowed(path: object, *args: object, _real=real, _name=name, prefix=prefix,  # noqa: ANN001
                   **kwargs: object) -> object:
            text = os.fspath(path) if isinstance(path, (str, os.PathLike)) else ""
            if text == prefix or str(text).startswith(prefix + "/"):
                if threading.current_thread() is main:
                    gui_calls.append(_name)
                time.sleep(call_ms / 1000)
            return _real(path, *args, **kwargs)

        setattr(module, name, slowed)


def child(tree: Path, images: int, steps: int, call_ms: float, project_stats: bool = False) -> dict[str, float]:
    """One window stepping through a fresh copy of the folder, in this process (its imports from `tree`)."""
    scratch = ROOT_TMP / f"scratch-switch-{os.getpid()}"
    app, window = window_in(tree, scratch)
    share = scratch / "share" / "photos"
    share.mkdir(parents=True)
    for file in build_folder(images).iterdir():
        os.link(file, share / file.name)
    session, controller = window.session, window.annotation.controller

    def shown() -> bool:
        image, path = session.current_image, session.current_path
        return image is not None and controller.document is not None and controller.image_path == path

    def until(done) -> None:  # noqa: ANN001
        while not done():
            app.processEvents()
            time.sleep(0.002)

    window.open_paths([share], remember=True)
    until(lambda: not window.opener.busy and shown())
    gui_calls: list[str] = []
    slow_share(scratch / "share", call_ms, gui_calls, share / ".fosp" if project_stats else None)
    heart = Heart()
    heart.start()
    app.processEvents()
    heart.restart()
    took = []
    for _ in range(steps):
        start = time.perf_counter()
        session.next()
        heart.beat()
        until(shown)
        took.append(time.perf_counter() - start)
    heart.stop()
    window.close()
    app.processEvents()
    return {"gap": heart.longest, "step": statistics.median(took), "gui_calls": float(len(gui_calls))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=40)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--call-ms", type=float, default=100.0)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--before", type=Path, default=None, help="a tree of the code before (see the doc)")
    parser.add_argument("--project-stats", action="store_true", help="slow os.stat in the project too")
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    ROOT_TMP.mkdir(parents=True, exist_ok=True)
    if args.child is not None:
        print(json.dumps(child(args.child, args.images, args.steps, args.call_ms, args.project_stats)))
        return 0
    stats = ["--project-stats"] if args.project_stats else []
    trees, results = run_trees(__file__, [args.images], lambda n: ["--images", str(n), "--steps", str(args.steps),
                                                               "--call-ms", str(args.call_ms), *stats],
                               args.before, args.repeats)
    also = " and each stat in its project" if args.project_stats else ""
    print(f"{args.steps} steps in a folder of {args.images} images; each resolving under the share{also} slowed by "
          f"{args.call_ms:g} ms; seconds, median of {args.repeats} (min-max); load average "
          f"{os.getloadavg()[0]:.1f}\n")
    print("| code | longest event-loop gap | next -> image shown (median step) | slowed calls on the GUI thread |")
    print("|---|---|---|---|")

    for mode in trees:
        rows = results[(args.images, mode)]
        print(f"| {mode} | " + " | ".join(cell(rows, key) for key in ("gap", "step", "gui_calls")) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
