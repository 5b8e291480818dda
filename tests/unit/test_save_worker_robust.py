"""The save thread survives any exception in a job (`fosp_core.annotation.save_worker.MaskSaver`):
the job ends with that error, told as a failed save (``save_failed``, `last_error`, not saved, the
recovery log kept), `wait()` returns, and the next save works. Before, only a KeyError from making
the mask was caught: any other exception ended the thread with the job still "running", and every
later `wait()` - the window's close - hung for ever."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation import tools
from fosp_core.annotation.project import Project
from fosp_core.annotation.recovery import log_path
from fosp_core.annotation.save_copies import SavedCopies
from fosp_core.annotation.save_worker import MaskSaver
from tests.unit.crash_worker import make_images


@pytest.fixture()
def project(tmp_path: Path):
    folder = make_images(tmp_path / "images", seed=5, count=2)
    with Project.open(folder) as p:
        p.save_in_background = True
        yield p


def _finish_or_hang(project: Project) -> bool:
    """`finish_saves(wait=True)` on a helper thread; False when it did not return (a hang guard
    only: a passing run returns at once)."""
    runner = threading.Thread(target=project.finish_saves, kwargs={"wait": True}, daemon=True)
    runner.start()
    runner.join(60)
    return not runner.is_alive()


def _failing_once(monkeypatch: pytest.MonkeyPatch, cls: type, name: str, exc: BaseException) -> list[str]:
    """`cls.name` raises `exc` at its first call, then is itself; the names of the threads it failed on."""
    real, failed = getattr(cls, name), []

    def method(self: object, *args: object, **kwargs: object) -> object:
        if not failed:
            failed.append(threading.current_thread().name)
            raise exc
        return real(self, *args, **kwargs)

    monkeypatch.setattr(cls, name, method)
    return failed


@pytest.mark.parametrize("exc", [RuntimeError("boom"), MemoryError(), ValueError("odd parts")])
def test_an_exception_making_the_mask_is_a_failed_save_and_the_thread_goes_on(
        project: Project, monkeypatch: pytest.MonkeyPatch, exc: BaseException) -> None:
    failed = _failing_once(monkeypatch, SavedCopies, "make", exc)
    events: list[tuple] = []
    project.events.connect(events.append)
    doc = project.open_document(project.ids[0])
    tools.brush(doc, [(5.0, 5.0), (20.0, 20.0)], 4)
    assert _finish_or_hang(project), "wait() hung: the save thread died"
    assert failed == ["fosp-mask-saves"]
    assert [e[0] for e in events] == ["save_failed"] and events[0][1] == doc.image_id
    assert project.last_error is not None and not project.is_saved(doc)
    assert log_path(project.mask_path(doc.image_id)).is_file()  # the edit is kept in the log
    tools.brush(doc, [(30.0, 30.0), (40.0, 35.0)], 3)  # the next save works, on the same thread
    assert _finish_or_hang(project)
    assert [e[0] for e in events] == ["save_failed", "saved"] and project.is_saved(doc)
    assert np.array_equal(project.load_mask(doc.image_id), doc.mask)
    assert not log_path(project.mask_path(doc.image_id)).exists()


def test_an_exception_in_the_bookkeeping_after_a_write_does_not_stop_the_thread(
        project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    failed = _failing_once(monkeypatch, SavedCopies, "drop_idle", RuntimeError("bookkeeping"))
    first, second = (project.open_document(i) for i in project.ids[:2])
    tools.brush(first, [(5.0, 5.0), (20.0, 20.0)], 4)
    assert _finish_or_hang(project), "wait() hung: the save thread died"
    assert failed == ["fosp-mask-saves"]
    tools.brush(second, [(8.0, 8.0), (12.0, 30.0)], 2)
    assert _finish_or_hang(project)
    assert project.is_saved(second)
    assert np.array_equal(project.load_mask(second.image_id), second.mask)


def test_a_notify_that_raises_does_not_stop_the_thread(tmp_path: Path) -> None:
    calls: list[int] = []

    def notify() -> None:
        calls.append(1)
        raise ValueError("a receiver's bug")

    written: list[int] = []
    saver = MaskSaver(notify, write=lambda job: written.append(job.seq))
    from fosp_core.annotation.save_copies import MaskParts
    from fosp_core.annotation.save_worker import SaveJob

    for seq in (1, 2):
        saver.submit(SaveJob(seq, f"img{seq}", tmp_path / f"{seq}.png", MaskParts(np.zeros((4, 4), np.uint8)), 1, 1))
        saver.wait()
    saver.stop()
    assert written == [1, 2] and len(calls) == 2
    assert [job.seq for job in saver.done()] == [1, 2]
