"""The model loads the analysis view asks of its inference thread, and which answers are stale (no Qt).

One user action may change several settings the model loads with: a device picked on which the precision
chosen gives way to fp32 (:meth:`app.analysis.model_panel.ModelPanel._device_chosen`), a kept device and
precision set once the devices are known. The view reloads at every such change; changed in a
:meth:`LoadRequests.together` block, they make one load, as the block ends (not one at fp32 on the device
left, then one on the device picked).

Every load asked for is remembered until its ``done``: an answer to one that is not the load the view waits
for is stale (the user moved on) and is dropped, a failure as a success. A stale success was put in place on
the thread all the same where it came in before the thread knew of the newer load
(:meth:`app.analysis.inference_worker.InferenceWorker.load_model`): :attr:`LoadRequests.thread_moved` says so,
and a newer load that fails then loads the view's model again, so that its runs run on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["LoadRequests"]


class LoadRequests:
    """See the module docstring. `load`: the view's load of its settings' model (asks the thread)."""

    def __init__(self, load: Callable[[], None]) -> None:
        self._load = load
        self._holds = 0  # `together` blocks under way
        self._owed = False  # a setting changed in one: the load is made as the last block ends
        self._asked: set[int] = set()  # the load requests not done yet
        self.thread_moved = False  # a stale load succeeded: the thread runs a model the view does not show

    @contextmanager
    def together(self) -> Iterator[None]:
        """Settings changed in the block (one user action) load the model once, as the last block ends."""
        self._holds += 1
        try:
            yield
        finally:
            self._holds -= 1
            if not self._holds and self._owed:
                self._owed = False
                self._load()

    def changed(self) -> None:
        """A setting the model loads with changed: load now, or as the `together` block ends."""
        if self._holds:
            self._owed = True
        else:
            self._load()

    def asked(self, request_id: int) -> None:
        """The thread was asked for load `request_id`."""
        self._asked.add(request_id)

    def done(self, request_id: int) -> None:
        """Request `request_id` (a load or not) is done: nothing more of it comes."""
        self._asked.discard(request_id)

    def stale(self, request_id: int, waited_for: int | None) -> bool:
        """Whether an answer to `request_id` is a load's that is not the one `waited_for` (a newer was asked)."""
        return request_id in self._asked and request_id != waited_for
