"""The one worker rule the analysis view's off-thread readers share (app.analysis.worker_lane): work
runs on the lane's thread, a request whose token is no longer current is skipped, an answer made for
a token moved on meanwhile is not told, nothing is told after close, and a shared lane queues on its
owner's thread with tokens of its own."""

from __future__ import annotations

import threading

from app.analysis.worker_lane import WorkerLane


def _drain(lane: WorkerLane) -> None:
    done = threading.Event()
    lane.submit(lane.current, done.set, lambda _t, _r: None)
    assert done.wait(10)


def test_work_runs_on_the_worker_and_is_told() -> None:
    lane = WorkerLane("test-lane")
    told: list[tuple[int, object]] = []
    lane.current = 3
    assert lane.submit(3, lambda: threading.current_thread(), lambda t, r: told.append((t, r)))
    _drain(lane)
    assert told and told[0][0] == 3
    assert told[0][1] is not threading.main_thread() and told[0][1].name.startswith("test-lane")
    lane.close()


def test_a_request_moved_on_is_skipped_and_a_late_answer_not_told() -> None:
    lane = WorkerLane()
    started, release = threading.Event(), threading.Event()
    ran: list[str] = []
    told: list[object] = []

    def first() -> str:
        started.set()
        release.wait(10)
        ran.append("first")
        return "first"

    lane.current = 1
    lane.submit(1, first, lambda _t, r: told.append(r))
    lane.submit(1, lambda: ran.append("queued") or "queued", lambda _t, r: told.append(r))
    assert started.wait(10)
    lane.current = 2  # the user moved on: the running one finishes untold, the queued one is skipped
    release.set()
    _drain(lane)
    assert ran == ["first"] and told == []
    lane.close()


def test_nothing_after_close_and_a_shared_lane_uses_its_owners_thread() -> None:
    owner = WorkerLane("owner-lane")
    shared = WorkerLane(share=owner)
    told: list[str] = []
    shared.current = 7
    shared.submit(7, lambda: threading.current_thread().name, lambda _t, r: told.append(r))
    _drain(owner)
    assert told and told[0].startswith("owner-lane")
    shared.close()
    assert not shared.submit(7, lambda: "late", lambda _t, r: told.append(r))
    owner.close()
    assert not owner.submit(0, lambda: "late", lambda _t, r: told.append(r))
    assert told == [told[0]]
