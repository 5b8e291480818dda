"""`fosp train --help` is where a new user looks for how to fine-tune on an export for a couple of
minutes: it named no key but train.iterations, data.crop and name (train.time_budget_s,
model.init_from and the batch lived in docs/training.md only)."""

from __future__ import annotations

import pytest

from fosp_core.cli import main


def test_train_help_names_the_fine_tune_keys(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        main(["train", "--help"])
    assert ended.value.code == 0
    out = capsys.readouterr().out
    for key in ("model.init_from=", "train.time_budget_s=", "train.batch_size=", "data.val=", "--resume",
                "README"):
        assert key in out, (key, out)
    assert "Train FoSp / SegFormer from a recipe (bundled:" in out  # the description is kept
