"""A budgeted run of sub-second steps (a GPU, a tiny model) said it stopped before 'one more step,
about 0 s, and the final validation, about 0 s, would end past the budget': times under a second
rounded to 0 s, so the line read as its own contradiction. Seconds under 10 are said to two
significant digits now (`budget.about_s`); 10 s and more as before.

Time here is a fake clock (`tests/unit/train_clock.py`): no wall-clock thresholds."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from fosp_core.train.budget import about_s
from tests.unit.train_clock import fake_clock_run


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def test_about_s() -> None:
    assert [about_s(x) for x in (0.3, 0.04, 3.44, 9.9, 10.0, 20.4, 240.0)] == \
        ["0.3", "0.04", "3.4", "9.9", "10", "20", "240"]


def test_a_sub_second_step_is_not_said_as_0_s(demo_dir: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """9.5 s start-up, 0.3 s steps, 0.01 s a validated image, a 10.5 s budget: after step 3 (10.4 s)
    a fourth would end past it; the probe leaves 0.08 s, less than a step and the validation."""
    trainer, spent, said, _validated = fake_clock_run(demo_dir, tmp_path, monkeypatch, 10.5, 9.5, 0.3, 0.01)
    assert "one more step, about 0 s" not in said and "validation, about 0 s" not in said, said
    assert "one more step, about 0.3 s, and the final validation, about 0.04 s, would end past the budget" in said, said
    assert spent <= 10.5, spent
