"""What the app's set-aside listing costs when it comes back to the front
(`app.annotation.save_status.SaveStatus.refresh_set_aside`): a ``stat`` of the project's mask folder
(the folder unchanged: nothing listed) against listing the folder for logs set aside
(`fosp_core.annotation.recovery.unapplied_logs`, what a changed folder costs, once), in mask folders
of 1 000, 10 000 and 100 000 masks with one log set aside. Prints a table (median of 7 runs, ms).

    python bench/bench_set_aside_listing.py
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from fosp_core.annotation.recovery import unapplied_logs


def _median_ms(call, runs: int = 7) -> float:  # noqa: ANN001
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    print(f"load average: {os.getloadavg()[0]:.2f}")
    print(f"{'masks':>8} | {'stat (ms)':>9} | {'listing (ms)':>12} | found")
    for count in (1_000, 10_000, 100_000):
        with tempfile.TemporaryDirectory() as tmp:
            masks = Path(tmp) / "masks"
            masks.mkdir()
            for i in range(count):
                (masks / f"img{i:06d}.png").touch()
            (masks / "img000001.png.recovery.unapplied").touch()
            stat = _median_ms(lambda m=masks: os.stat(m).st_mtime_ns)
            listing = _median_ms(lambda m=masks: unapplied_logs(m))
            print(f"{count:>8} | {stat:>9.4f} | {listing:>12.1f} | {len(unapplied_logs(masks))}")


if __name__ == "__main__":
    main()
