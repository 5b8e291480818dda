"""The GUI thread while a small folder on a share slow to answer opens: how long the window stops turning when
each look at the folder (``Path.resolve``, ``is_dir``, ``exists``) takes a while, and when the first image is shown.

    python bench/bench_open_slow_share.py [--images 40 300] [--call-ms 100] [--repeats 1] [--before TREE]

A folder of --images tiny JPEGs (`bench_open_slow_listing.build_folder`: hard links of one 16x16 JPEG) is opened
in a window (offscreen; HOME and the caches in a scratch folder; its project made inside the folder, as on a
share), each ``Path.resolve`` / ``is_dir`` / ``exists`` of the folder or of a path under it that is no image file
slowed by --call-ms (a network share answering slowly; the image files' own look-ups are not slowed, nor
``os.stat`` / ``os.path.realpath``). Each run is a child process importing the code of a tree: "after" is this
checkout, "before" is --before (e.g. ``git archive`` of the commit before session 36's change: a small open made
its project and looked at its paths on the GUI thread, and applying any open looked at them there again).

Prints a markdown table, per folder size and tree: ``open_paths`` (the GUI thread's time in the call), the
longest gap between two beats of a 3 ms timer on the GUI thread (from the call until the first image is shown),
the time until then, and how many slowed calls the GUI thread made.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

from bench_open_slow_listing import ROOT_TMP, build_folder
from gui_child import Heart, sized_main, window_in

IMAGE_ENDS = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp", ".jpe", ".jp2")


def slow_share(root: Path, call_ms: float, gui_calls: list[str]) -> None:
    """Slow `Path.resolve` / `is_dir` / `exists` under `root` (not on image files) by `call_ms`; the GUI
    thread's calls are counted in `gui_calls`."""
    prefix, main = str(root), threading.main_thread()
    for name in ("resolve", "is_dir", "exists"):
        real = getattr(Path, name)

        def slowed(path: Path, *args: object, _real=real, _name=name, **kwargs: object) -> object:  # noqa: ANN001
            text = str(path)
            if (text == prefix or text.startswith(prefix + "/")) and not text.lower().endswith(IMAGE_ENDS):
                if threading.current_thread() is main:
                    gui_calls.append(_name)
                time.sleep(call_ms / 1000)
            return _real(path, *args, **kwargs)

        setattr(Path, name, slowed)


def child(tree: Path, images: int, call_ms: float) -> dict[str, float]:
    """One window opening a fresh copy of the folder, in this process (its imports from `tree`)."""
    scratch = ROOT_TMP / f"scratch-share-{os.getpid()}"
    app, window = window_in(tree, scratch)
    share = scratch / "share" / "photos"
    share.mkdir(parents=True)
    for file in build_folder(images).iterdir():  # a fresh folder each run: its project is made in it
        os.link(file, share / file.name)
    gui_calls: list[str] = []
    slow_share(scratch / "share", call_ms, gui_calls)
    heart = Heart()
    heart.start()
    app.processEvents()
    start = heart.restart()
    window.open_paths([share], remember=True)
    returned = time.perf_counter() - start
    heart.beat()
    while window.session.current_path is None or window.opener.busy:
        app.processEvents()
        time.sleep(0.002)
    shown = time.perf_counter() - start
    heart.stop()
    assert len(window.session) == images, len(window.session)
    window.close()
    app.processEvents()
    return {"open_paths": returned, "gap": heart.longest, "shown": shown, "gui_calls": float(len(gui_calls))}


def main(argv: list[str] | None = None) -> int:
    return sized_main(argv, __doc__, __file__, child, root=ROOT_TMP, slowed="the share's folder",
                      columns=[('GUI thread in open_paths', 'open_paths'), ('longest event-loop gap', 'gap'), ('first image shown', 'shown'), ('slowed calls on the GUI thread', 'gui_calls')])


if __name__ == "__main__":
    sys.exit(main())
