"""`bench/bench_model.py --write` rewrites only its generated section of docs/benchmarks-model.md:
the hand-written sections after it (Work per forward, Reading the numbers, the validation and
OMP_WAIT_POLICY studies) are kept; a file without the markers is left untouched."""

from __future__ import annotations

import importlib
import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def bench_model(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201 - the bench module
    """bench/bench_model.py imported, its timings replaced by fixed rows (no model is run)."""
    monkeypatch.syspath_prepend(str(REPO / "bench"))
    module = importlib.import_module("bench_model")
    monkeypatch.setattr(module, "bench_models", lambda size, rounds, warmup: [("fake-net", 12.3, 1.0, "3.7")])
    monkeypatch.setattr(module, "bench_backbone", lambda size, rounds, warmup: (2.0, 1.0, 1e-6))
    yield module
    sys.modules.pop("bench_model", None)


def test_write_keeps_the_hand_written_sections_of_the_doc(bench_model, tmp_path: Path) -> None:
    doc = tmp_path / "benchmarks-model.md"
    shutil.copy(REPO / "docs" / "benchmarks-model.md", doc)
    before = doc.read_text()
    hand = before[before.index(bench_model.END) + len(bench_model.END):]
    assert "## Work per forward" in hand and "## OMP_WAIT_POLICY" in hand

    assert bench_model.main(["--size", "32", "--threads", "1", "--rounds", "1", "--write", str(doc)]) == 0

    after = doc.read_text()
    assert after.endswith(hand)
    assert after.startswith(bench_model.BEGIN + "\n# Model latency (CPU)\n")
    assert "| fake-net | 3.7 | 12.3 | 1.00 |" in after
    assert "80.5" not in after  # the old table's figures are gone, only once each marker
    assert after.count(bench_model.BEGIN) == 1 and after.count(bench_model.END) == 1


def test_write_twice_is_stable_and_keeps_text_before_the_section(bench_model, tmp_path: Path) -> None:
    doc = tmp_path / "bench.md"
    doc.write_text(f"Intro by hand.\n\n{bench_model.BEGIN}\nold table\n{bench_model.END}\n\nNotes by hand.\n")
    for _ in range(2):
        assert bench_model.main(["--threads", "1", "--skip-backbone", "--write", str(doc)]) == 0
    text = doc.read_text()
    assert text.startswith(f"Intro by hand.\n\n{bench_model.BEGIN}\n# Model latency (CPU)\n")
    assert text.endswith(f"{bench_model.END}\n\nNotes by hand.\n")
    assert "old table" not in text and text.count("fake-net") == 1


def test_a_file_without_markers_is_left_as_it_is(bench_model, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    doc = tmp_path / "notes.md"
    doc.write_text("# Someone's notes\n")
    assert bench_model.main(["--threads", "1", "--skip-backbone", "--write", str(doc)]) == 2
    assert doc.read_text() == "# Someone's notes\n"
    assert "nothing written" in capsys.readouterr().err


def test_a_new_file_holds_the_section_alone(bench_model, tmp_path: Path) -> None:
    doc = tmp_path / "new" / "bench.md"
    assert bench_model.main(["--threads", "1", "--skip-backbone", "--write", str(doc)]) == 0
    text = doc.read_text()
    assert text.startswith(bench_model.BEGIN + "\n") and text.endswith(bench_model.END + "\n")
