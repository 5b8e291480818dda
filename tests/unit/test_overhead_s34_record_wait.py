"""`log_sync.queue_record` waits `RECORD_WAIT_S` as it is when called: the default bound when the module
loaded (0.5 s) made the tests that shorten it (`monkeypatch.setattr(log_sync, "RECORD_WAIT_S", 0.05)`: a
disk that does not answer) wait the full half second at each commit anyway."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.annotation import log_sync


def test_a_shortened_record_wait_is_the_wait_of_the_next_commit(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float | None] = []
    real = log_sync._cond.wait_for

    def spy(predicate, timeout=None):  # noqa: ANN001, ANN202
        waits.append(timeout)
        return real(predicate, timeout)

    monkeypatch.setattr(log_sync._cond, "wait_for", spy)
    monkeypatch.setattr(log_sync, "RECORD_WAIT_S", 0.05)
    written: list[bytes] = []
    assert log_sync.queue_record(tmp_path / "a.log", b"line\n", append=lambda _path, line: written.append(line))
    assert written == [b"line\n"]
    assert waits == [0.05], "queue_record waited the RECORD_WAIT_S of the module's load, not the one set"
    assert log_sync.queue_record(tmp_path / "a.log", b"two\n", wait=0.2, append=lambda _p, _l: None)
    assert waits[-1] == 0.2, "an explicit wait is kept"
