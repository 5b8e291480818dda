"""Benchmark: what the fsynced intent line costs Import Labels (`fosp_core.annotation.mask_intents`).

    python bench/bench_intent_fsync.py [--rounds 3] [--count 200] [--digest]

Each measurement runs in a fresh process: a project of `count` images (the demo's JPEGs, renamed)
is opened and ``Project.import_labels`` brings in a 512 x 512 mask for each (`bench_import_labels`'
inputs); every save changes the status (unlabeled -> edited), so each writes an intent line.
**durable**: the intent line fsynced (now); **plain**: not fsynced (as 159b711 wrote it), the
same code otherwise. Columns: masks/s over the import's wall time, and the fsyncs it made (counted
by wrapping ``os.fsync``). Both kinds interleaved, median over the rounds; note the load average
(the machine may be shared).

``--digest``: instead, the intent's digest of the new mask (`mask_intents.mask_digest`, computed per
status-changing save) at 12 and 48 MP, best of 5: **sha1 buffer** (now) and **blake2b copy** (as
606f3d5 first made it: ``tobytes()`` then blake2b), beside the PNG encoding the save does anyway.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

CHILD = """
import json, os, sys, time
from pathlib import Path
from fosp_core.annotation import mask_intents
from fosp_core.annotation.project import Project
images, masks, location, kind = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
if kind == "plain":
    class Plain:  # the project as note_intent sees it, its intent line written without fsync
        def __init__(self, project): self.project = project
        def flush_image(self, image_id): self.project.flush_image(image_id)
        def note_state(self, entry, *, durable=False): return self.project.note_state(entry)
    real = mask_intents.note_intent
    import fosp_core.annotation.import_loop as loop
    loop.note_intent = lambda project, *args, **kwargs: real(Plain(project), *args, **kwargs)
count, real_fsync = [0], os.fsync
def fsync(fd):
    count[0] += 1
    real_fsync(fd)
os.fsync = fsync
with Project.open(images, location) as project:
    count[0] = 0
    start = time.perf_counter()
    report = project.import_labels(masks)
    seconds = time.perf_counter() - start
print(json.dumps({"n": len(report.imported), "s": seconds, "fsyncs": count[0]}))
"""


def run(images: Path, masks: Path, root: Path, kind: str, i: int) -> dict:
    location = root / f"project_{kind}_{i}"
    out = subprocess.run([sys.executable, "-c", CHILD, str(images), str(masks), str(location), kind],
                         check=True, capture_output=True, text=True, cwd=HERE.parent,
                         env={**os.environ, "PYTHONPATH": str(HERE.parent)})
    return json.loads(out.stdout.strip().splitlines()[-1])


def digests() -> None:
    """The ``--digest`` table (see module doc)."""
    import hashlib

    import numpy as np

    from fosp_core.annotation.mask_intents import mask_digest
    from fosp_core.io.masks import encode_mask_png

    def old(mask: np.ndarray) -> str:
        return hashlib.blake2b(repr(mask.shape).encode() + mask.tobytes(), digest_size=16).hexdigest()

    print(f"intent digest, best of 5, load {os.getloadavg()[0]:.1f}, {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"{'mask':<10} {'sha1 buffer':>12} {'blake2b copy':>13} {'PNG level 1':>12}")
    for name, shape in (("12 MP", (3000, 4000)), ("48 MP", (6000, 8000))):
        mask = (np.random.default_rng(0).random(shape) > 0.7).astype(np.uint8)
        row = []
        for func in (mask_digest, old, lambda m: encode_mask_png(m, compress_level=1)):
            times = []
            for _ in range(5):
                start = time.perf_counter()
                func(mask)
                times.append(time.perf_counter() - start)
            row.append(min(times))
        print(f"{name:<10} {row[0]:11.3f}s {row[1]:12.3f}s {row[2]:11.3f}s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--digest", action="store_true", help="the digest table instead (see the module doc)")
    args = parser.parse_args()
    if args.digest:
        digests()
        return
    from bench_import_labels import make_inputs

    with tempfile.TemporaryDirectory(dir=HERE.parent / ".bench_tmp" if (HERE.parent / ".bench_tmp").is_dir()
                                     else None) as tmp:
        root = Path(tmp)
        images, masks = make_inputs(root / "inputs", args.count)
        results: dict[str, list[dict]] = {"plain": [], "durable": []}
        for i in range(args.rounds):
            for kind in ("plain", "durable") if i % 2 == 0 else ("durable", "plain"):
                results[kind].append(run(images, masks, root, kind, i))
    print(f"Import Labels of {args.count} masks (512 x 512), {args.rounds} rounds, load {os.getloadavg()[0]:.1f}, "
          f"{time.strftime('%Y-%m-%d %H:%M')}")
    print(f"{'intent line':<12} {'masks/s':>8} {'s':>7} {'fsyncs':>7}")
    for kind, rows in results.items():
        seconds = statistics.median(r["s"] for r in rows)
        n = rows[0]["n"]
        print(f"{kind:<12} {n / seconds:8.1f} {seconds:7.2f} {statistics.median(r['fsyncs'] for r in rows):7.0f}")


if __name__ == "__main__":
    main()
