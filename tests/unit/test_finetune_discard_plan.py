"""`discard_plan` removes only what a cancelled plan wrote: the run folder holding just its recipe."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from fosp_core.io.atomic import write_atomic
from fosp_core.train.finetune import FineTuneRequest, discard_plan, plan_finetune
from tests.unit.test_train_support import make_export, save_tiny_checkpoint


def _plan(demo_dir: Path, tmp_path: Path):  # noqa: ANN202
    return plan_finetune(FineTuneRequest(dataset=make_export(demo_dir, tmp_path / "export"),
                                         init_from=save_tiny_checkpoint(tmp_path / "tiny.safetensors"),
                                         iterations=4, device="cpu", name="ft", runs_dir=str(tmp_path / "runs")))


def test_only_the_plans_own_recipe_goes(demo_dir: Path, tmp_path: Path) -> None:
    plan = _plan(demo_dir, tmp_path)
    assert plan.recipe.is_file() and plan.written is not None
    assert discard_plan(plan) and not plan.run_dir.exists()
    assert not discard_plan(plan)  # gone already: nothing to do


def test_a_folder_with_more_or_a_newer_recipe_stays(demo_dir: Path, tmp_path: Path) -> None:
    plan = _plan(demo_dir, tmp_path)
    (plan.run_dir / "log.jsonl").write_text("{}\n")
    assert not discard_plan(plan) and plan.recipe.is_file()
    (plan.run_dir / "log.jsonl").unlink()
    write_atomic(plan.recipe, plan.recipe.read_bytes())  # a later Start of the same name wrote it again
    assert not discard_plan(plan) and plan.recipe.is_file()
    assert not discard_plan(dataclasses.replace(plan, written=None))  # a resume writes no recipe
