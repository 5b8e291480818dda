"""`worklist.live_counts`: the worklist's counts from the stored counts and the live statuses, without a
pass over the entries (a step to the next image keeps the stored counts), equal to `status_counts`."""

from __future__ import annotations

from fosp_core.annotation import worklist
from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ImageEntry


def test_live_counts_are_status_counts_without_a_pass_over_the_entries() -> None:
    entries = [ImageEntry(f"im{i}", f"im{i}.jpg", list(Status)[i % 4]) for i in range(40)]
    by_id = {e.id: e for e in entries}
    looked_up: list[str] = []

    def entry(image_id: str) -> ImageEntry:
        looked_up.append(image_id)
        return by_id[image_id]

    stored = worklist.status_counts(entries)
    for overrides in ({}, {"im0": Status.REVIEWED}, {"im5": Status.EDITED, "im6": Status.UNLABELED},
                      {"frame 12": Status.EDITED}, {"im3": Status.REVIEWED}):  # an id not an entry: nothing
        looked_up.clear()
        assert worklist.live_counts(stored, overrides, entry) == worklist.status_counts(entries, overrides)
        assert looked_up == list(overrides)  # one lookup an override, none an entry
    assert worklist.live_counts({}, {"im0": Status.EDITED}, None) == dict.fromkeys(Status, 0)
