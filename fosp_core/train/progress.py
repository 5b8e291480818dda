"""A progress line with ETA, and the run log: `log.jsonl` (every record) and `metrics.csv` (validation).

Log records are JSON objects, one a line, each with `type` ("train", "val", "event"), `iter`
and `time` (Unix seconds). Train records hold `loss`, the loss parts, `lr` (per group) and
`sec_per_iter`; validation records hold the metrics (`fbeta`, `iou`, `mae`, ... and per size
bucket `small/fbeta` ...). On resume, records past the resumed iteration are dropped, so the log
reads like one uninterrupted run.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from fosp_core.train.state import atomic_write_text


def format_duration(seconds: float) -> str:
    """`3725` -> `"1:02:05"`; negative or unknown -> `"?"`."""
    if seconds != seconds or seconds < 0 or seconds == float("inf"):
        return "?"
    s = int(round(seconds))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


class Progress:
    """One status line per update: iteration, loss, lr, seconds per iteration and ETA.

    On a terminal the line is redrawn in place (`\\r`); otherwise a full line is written every
    `every` iterations. The speed is an exponential moving average over recent iterations, so the
    ETA reflects the current pace (after a resume too).
    """

    def __init__(self, total: int, start: int = 0, every: int = 10, stream: TextIO | None = None,
                 enabled: bool = True, width: int = 24):
        self.total, self.start, self.every = total, start, max(1, every)
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.width = width
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last_t = time.perf_counter()
        self._last_it = start
        self.sec_per_iter: float | None = None

    def tick(self, it: int) -> float | None:
        """Record that iteration `it` (1-based count of finished iterations) is done; returns s/it."""
        now = time.perf_counter()
        n = it - self._last_it
        if n > 0:
            dt = (now - self._last_t) / n
            self.sec_per_iter = dt if self.sec_per_iter is None else 0.9 * self.sec_per_iter + 0.1 * dt
        self._last_t, self._last_it = now, it
        return self.sec_per_iter

    def restart_clock(self) -> None:
        """The time since the last tick was not spent on iterations (a validation, a save): the
        next tick measures from now, so the pace and the ETA stay those of training steps."""
        self._last_t = time.perf_counter()

    def eta(self, it: int) -> float:
        return float("nan") if self.sec_per_iter is None else (self.total - it) * self.sec_per_iter

    def line(self, it: int, info: str = "") -> str:
        frac = it / self.total if self.total else 1.0
        filled = int(round(frac * self.width))
        bar = "#" * filled + "." * (self.width - filled)
        speed = f"{self.sec_per_iter:.2f} s/it" if self.sec_per_iter is not None else "-- s/it"
        return f"[{bar}] {it}/{self.total} {info} {speed} ETA {format_duration(self.eta(it))}"

    def update(self, it: int, info: str = "") -> None:
        if not self.enabled:
            return
        if self.tty:
            self.stream.write("\r" + self.line(it, info) + "\x1b[K")
            if it >= self.total:
                self.stream.write("\n")
            self.stream.flush()
        elif it % self.every == 0 or it >= self.total:
            self.stream.write(self.line(it, info) + "\n")
            self.stream.flush()

    def message(self, text: str) -> None:
        """Print a line without garbling the progress line."""
        if not self.enabled:
            return
        self.stream.write(("\r\x1b[K" if self.tty else "") + text + "\n")
        self.stream.flush()


def json_safe(obj: Any) -> Any:
    """NaN / inf -> None, recursively, tuples as lists (strict JSON: `json.dumps(..., allow_nan=False)`
    accepts the result; readers take null for a score that could not be measured)."""
    if isinstance(obj, float) and (obj != obj or obj in (float("inf"), float("-inf"))):
        return None
    if isinstance(obj, dict):
        return {k: json_safe(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [json_safe(v) for v in obj]
    return obj


class RunLog:
    """Append-only JSONL log plus a regenerated `metrics.csv` of the validation records."""

    def __init__(self, run_dir: Path, enabled: bool = True):
        self.path = Path(run_dir) / "log.jsonl"
        self.csv_path = Path(run_dir) / "metrics.csv"
        self.enabled = enabled

    def truncate_after(self, iteration: int) -> None:
        """Drop records past `iteration` (after a resume from that iteration)."""
        if not self.enabled or not self.path.is_file():
            return
        kept = [r for r in self.records() if int(r.get("iter", 0)) <= iteration]
        atomic_write_text(self.path, "".join(json.dumps(r) + "\n" for r in kept))
        self._write_csv(kept)

    def records(self, kind: str | None = None) -> list[dict[str, Any]]:
        """Every readable record (optionally only one `type`); a torn last line is skipped."""
        if not self.path.is_file():
            return []
        out = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if kind is None or rec.get("type") == kind:
                out.append(rec)
        return out

    def write(self, record: dict[str, Any]) -> None:
        if not self.enabled:
            return
        record = json_safe({"time": round(time.time(), 3), **record})
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")
        if record.get("type") == "val":
            self._write_csv(self.records())

    def _write_csv(self, records: Sequence[dict[str, Any]]) -> None:
        vals = [r for r in records if r.get("type") == "val"]
        if not vals:
            return
        cols: list[str] = []
        for r in vals:
            for k in r:
                if k not in cols and k != "type" and not isinstance(r[k], dict | list):
                    cols.append(k)
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        for r in vals:
            w.writerow(r)
        atomic_write_text(self.csv_path, buf.getvalue())
