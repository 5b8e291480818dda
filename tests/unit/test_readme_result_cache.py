"""The README's Model dock section says how many results the app keeps ("the last 64, within 512 MiB
of maps"): those are the result cache's own bounds, so a change of either fails here."""

from __future__ import annotations

import re
from pathlib import Path

from fosp_core.analysis.results import DEFAULT_RESULT_BYTES, ResultCache

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_names_the_result_caches_bounds() -> None:
    """It said "the last 64" only; the cache is bounded by bytes too, which holds far fewer results of
    large photos (about 10 of 4000×3000)."""
    text = " ".join(README.read_text(encoding="utf-8").split())
    said = re.search(r"results cached per image, model and τ: the last (\d+), within (\d+) MiB of maps", text)
    assert said, "the README no longer says how many results the app keeps"
    cache = ResultCache()
    assert int(said.group(1)) == cache.max_items
    assert int(said.group(2)) * 1024 * 1024 == cache.max_bytes == DEFAULT_RESULT_BYTES
