"""A video's annotation folder held by a real child process, and taken over from it by this one: shared by
the lock-lost tests (`test_video_lock_lost`, `test_video_lock_lost_queued`; no tests here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from fosp_core.annotation.storage import LockInfo
from fosp_core.video.folder_lock import LOCK_FILE, opening_for
from fosp_core.video.timeline import VideoAnnotations

#: The start of a holder's script (``python -c``): `state`, `video` and `background` set before it, it opens
#: the video's annotations there (20 frames of 48x64), saving on its save thread when `background`, records
#: their events in `events`, strokes frame 4 (`doc`), waits for the save and says "ready".
HOLDER_OPENS = textwrap.dedent("""
    from fosp_core.annotation.tools import brush
    from fosp_core.video.timeline import VideoAnnotations
    notes = VideoAnnotations(video, 20, (48, 64), folder=state)
    notes.save_in_background = background
    events = []
    notes.events.connect(events.append)
    doc = notes.document(4)
    assert brush(doc, [(10, 10), (20, 12)], 3)
    notes.finish_saves(wait=True)
    print("ready", flush=True)
""")


class Holder:
    """A child running `script` (``python -c``) with `args`; it prints "ready" once it holds the folder,
    then answers each word written to it with one JSON line. A context manager: killed at its end."""

    def __init__(self, script: str, *args: str) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", script, *args], text=True, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env={**os.environ, "PYTHONPATH": os.getcwd()})
        assert self.readline() == "ready"

    def __enter__(self) -> Holder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.proc.kill()
        self.proc.wait()

    def readline(self) -> str:
        """The child's next line (its stderr in the failure when it said nothing more)."""
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        assert line, self.proc.stderr.read() if self.proc.stderr else ""
        return line

    def ask(self, word: str) -> dict:
        """Tell the child `word`; its answer."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(word + "\n")
        self.proc.stdin.flush()
        return json.loads(self.readline())


def take_over(state: Path, video: Path, shape: tuple[int, int]) -> VideoAnnotations:
    """This process takes the folder from the child (as Take Over does for a holder on another computer)."""
    child = json.loads((state / LOCK_FILE).read_text())
    owner = LockInfo(child["pid"], child["host"], child["created"], child.get("boot", ""), child.get("start", 0),
                     child.get("user", ""))
    with opening_for(None, break_lock=owner):
        taker = VideoAnnotations(video, 20, shape, folder=state)
    assert not taker.read_only
    return taker
