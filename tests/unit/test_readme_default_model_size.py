"""The README's "The default model" gives its size twice: without the inpainter (the paper's way of
counting, as the model card) and with it, which is what the Model panel shows for the shipped file
("variant fosp-s · 6.82 M parameters"). Both are the bundled checkpoint's own counts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fosp_core.analysis.settings import read_model_info
from fosp_core.checkpoint import read_checkpoint

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DEFAULT = ROOT / "resources" / "models" / "fosp-default.safetensors"


def readme_sizes() -> tuple[float, float]:
    """(millions without the inpainter, millions with it) as the README's default-model section says."""
    text = " ".join(README.read_text(encoding="utf-8").split())
    said = re.search(r"MiT-B0 backbone, ([\d.]+) M parameters; ([\d.]+) M with its inpainter, as the Model "
                     r"panel counts them", text)
    assert said, "the README's default model no longer gives both of its sizes"
    return float(said.group(1)), float(said.group(2))


@pytest.mark.skipif(not DEFAULT.is_file(), reason="no bundled default model")
def test_the_readme_sizes_are_the_default_models() -> None:
    """It said 5.66 M alone, where the panel showed 6.82 M for the same file."""
    without, with_inpainter = readme_sizes()
    tensors, _meta = read_checkpoint(DEFAULT)
    counted = {k: t.numel() for k, t in tensors.items() if "running_" not in k and "num_batches" not in k}
    inpainter = sum(n for k, n in counted.items() if k.startswith("inpainter."))
    assert inpainter > 0
    assert round(read_model_info(DEFAULT).parameters / 1e6, 2) == with_inpainter
    assert round((sum(counted.values()) - inpainter) / 1e6, 2) == without
