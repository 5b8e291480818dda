"""Which frame a whole-video prediction run does next, in amortised O(1) a pick.

The run predicts the frames from the playhead on, then from the start. It asked of every frame whether it
was done each time it picked the next one (O(frames) a pick, O(frames²) a run: at 90,000 frames, an hour at
25 fps, seconds of scanning a frame by the end). :class:`TodoFrames` finds "the first frame from `start` on
that is not done" with a next-pointer forest (union-find with path compression): a frame found done is
linked to the one after it, once, so each frame is asked about a bounded number of times in a whole run,
wherever the playhead jumps meanwhile.

Frames only become done (a prediction, a failure) while one TodoFrames is in use; whoever can make a done
frame undone again (a cache reset, another model) makes a new one. :attr:`TodoFrames.checks` counts the
questions asked, for tests.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["TodoFrames"]


class TodoFrames:
    """The frames of ``range(count)`` not yet done, as ``is_done(index)`` tells (see module doc)."""

    def __init__(self, count: int, is_done: Callable[[int], bool]) -> None:
        self.count = max(0, int(count))
        self._is_done = is_done
        self._next = list(range(self.count + 1))  # self.count: past the end, never done
        #: How many times ``is_done`` was called (each frame a bounded number of times in a run).
        self.checks = 0

    def first_from(self, start: int) -> int | None:
        """The first frame at `start` or after it that is not done, None when none is."""
        start = max(0, min(int(start), self.count))
        nxt, count, path = self._next, self.count, []
        i = start
        while True:
            parent = nxt[i]
            if parent != i:
                path.append(i)
                i = parent
                continue
            if i < count:
                self.checks += 1
                if self._is_done(i):
                    nxt[i] = i + 1
                    path.append(i)
                    i += 1
                    continue
            break
        for k in path:  # path compression: each points at the first frame not done after it
            nxt[k] = i
        return i if i < count else None

    def next_after_playhead(self, head: int) -> int | None:
        """The frame to do next: the first not done from `head` on, else the first from the start."""
        found = self.first_from(head)
        if found is None and head > 0:
            found = self.first_from(0)
        return found
