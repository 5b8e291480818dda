"""An all-day session: the image-sized arrays the app frees go back to the system. glibc raised its
mmap threshold at the first large free, and from then on freed maps stayed resident in its heaps,
pinned by the small objects allocated between them: the process grew with every image while what it
held stayed flat (`app.memory_return`). Measured in a fresh process made by `create_app`."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

DAY = textwrap.dedent("""
    import gc, os, threading
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    import numpy as np
    from app.main import create_app

    def rss_mb():
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024

    app = create_app([])
    kept, records, sizes = [], [], [(480, 640), (768, 1024), (512, 512), (600, 800), (720, 960)]

    def predict(i):  # a worker thread makes each image's maps, as the inference worker does
        h, w = sizes[i % len(sizes)]
        out.append([np.ones((h, w), np.float32) for _ in range(8)])

    start = rss_mb()
    for i in range(120):
        out = []
        worker = threading.Thread(target=predict, args=(i,))
        worker.start()
        worker.join()
        kept.append(out[0])
        del kept[:-16]  # a bounded cache of results
        records.extend(bytes(500) for _ in range(50))  # small records kept for the day
    kept.clear()
    gc.collect()
    print(round(rss_mb() - start))
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")
def test_maps_freed_over_a_day_are_given_back() -> None:
    done = subprocess.run([sys.executable, "-c", DAY], capture_output=True, text=True, timeout=120, check=True)
    retained_mb = int(done.stdout.split()[-1])
    assert retained_mb < 40, retained_mb  # the records (3 MB) and the allocator's small change
