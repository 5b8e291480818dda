"""Export destinations suggested for a folder named near the 255-byte limit: `free_folder`'s ``<name>-2``
was too long (the probe found it "not free", being unreadable, and fell back to the full folder), so
the dialog suggested a folder the export would refuse. Now cut (`fosp_core.io.long_names.fit_name`)."""

from __future__ import annotations

from pathlib import Path

from app.annotation.free_folder import free_folder
from fosp_core.io.long_names import NAME_MAX, name_bytes


def test_free_folder_beside_a_full_one_of_a_longest_name(tmp_path: Path) -> None:
    taken = tmp_path / ("s" * 255)
    (taken / "JPEGImages").mkdir(parents=True)
    free = free_folder(taken)
    assert free != taken and free.parent == tmp_path and name_bytes(free.name) <= NAME_MAX
    (free / "JPEGImages").mkdir(parents=True)  # taken too: the next one
    assert free_folder(taken) not in (taken, free)
