"""The GUI thread during Annotate ▸ Take Over… of a project on a share slow to answer: how long the window stops
turning while the project is opened again taking the lock, and when it is shown taken over.

    python bench/bench_take_over_slow_share.py [--images 40 300] [--call-ms 100] [--repeats 1] [--before TREE]

A folder of --images tiny JPEGs (`bench_open_slow_listing.build_folder`) with its project inside it (as on a
share), locked by another computer, is opened read-only in a window (offscreen; HOME and the caches in a scratch
folder; nothing slowed); then each ``os.stat`` and ``os.path.realpath`` (``Path.resolve`` goes through it) of the
folder or of a path under it that is no image file is slowed by --call-ms, and Take Over… is chosen (the question
answered Take Over). Each run is a child process importing the code of a tree: "after" is this checkout, "before"
is --before (e.g. ``git archive`` of the commit before session 37's 64f3931d: the reopening ran on the GUI thread).

Prints a markdown table, per folder size and tree: the GUI thread's time in the action, the longest gap between two
beats of a 3 ms timer on the GUI thread (from the action until the project is shown taken over, its document
open), the time until then, and how many slowed calls the GUI thread made.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path

from bench_open_slow_listing import ROOT_TMP, build_folder
from bench_open_slow_share import IMAGE_ENDS
from gui_child import Heart, sized_main, window_in

LOCK = {"pid": 4242, "host": "labpc-7", "created": 1000.0, "user": "ana"}


def slow_share(root: Path, call_ms: float, gui_calls: list[str]) -> None:
    """Slow ``os.stat`` / ``os.path.realpath`` under `root` (not on image files) by `call_ms`; the GUI thread's
    calls are counted in `gui_calls`."""
    prefix, main = str(root), threading.main_thread()
    for module, name in ((os, "stat"), (os.path, "realpath")):
        real = getattr(module, name)

        def slowed(path: object, *args: object, _real=real, _name=name, **kwargs: object) -> object:  # noqa: ANN001
            text = os.fspath(path) if isinstance(path, (str, os.PathLike)) else ""
            if (text == prefix or text.startswith(prefix + "/")) and not text.lower().endswith(IMAGE_ENDS):
                if threading.current_thread() is main:
                    gui_calls.append(_name)
                time.sleep(call_ms / 1000)
            return _real(path, *args, **kwargs)

        setattr(module, name, slowed)


def child(tree: Path, images: int, call_ms: float) -> dict[str, float]:
    """One window taking over a fresh copy of the folder's project, in this process (its imports from `tree`)."""
    scratch = ROOT_TMP / f"scratch-take-over-{os.getpid()}"
    app, window = window_in(tree, scratch)
    from fosp_core.annotation.project import Project

    share = scratch / "share" / "photos"
    share.mkdir(parents=True)
    for file in build_folder(images).iterdir():
        os.link(file, share / file.name)
    project = Project.open(share)
    (project.folder / "lock").write_text(json.dumps(LOCK))  # another computer holds it (never released here)
    controller = window.annotation.controller
    controller.lock_prompt.ask = lambda *_args: False  # Open Read-Only
    window.open_paths([share], remember=False)
    while controller.project is None or controller.document is None or window.opener.busy:
        app.processEvents()
        time.sleep(0.002)
    old = controller.project
    assert old.read_only
    gui_calls: list[str] = []
    slow_share(scratch / "share", call_ms, gui_calls)
    controller.lock_prompt.ask = lambda *_args: True  # Take Over
    heart = Heart()
    heart.start()
    app.processEvents()
    start = heart.restart()
    window.annotation.actions.take_over.trigger()
    returned = time.perf_counter() - start
    heart.beat()
    while controller.project is old or controller.project is None or controller.document is None:
        app.processEvents()
        time.sleep(0.002)
    shown = time.perf_counter() - start
    heart.stop()
    assert not controller.project.read_only
    window.close()
    app.processEvents()
    return {"action": returned, "gap": heart.longest, "shown": shown, "gui_calls": float(len(gui_calls))}


def main(argv: list[str] | None = None) -> int:
    return sized_main(argv, __doc__, __file__, child, root=ROOT_TMP, slowed="the share's folders",
                      columns=[('GUI thread in Take Over…', 'action'), ('longest event-loop gap', 'gap'), ('shown taken over', 'shown'), ('slowed calls on the GUI thread', 'gui_calls')])


if __name__ == "__main__":
    sys.exit(main())
