"""Run on All Again in `app.analysis.run_plan.RunPlanner` (no window: a fake session and scores): the
choice is kept while the run waits (a model loading, a video) and for a run of it paused behind a video,
spent by the plan that runs, and forgotten when the user cancels or the model fails to load."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from app.analysis.run_plan import RunPlanner
from fosp_core.analysis.results import ResultCache
from fosp_core.analysis.settings import AnalysisSettings

PATHS = tuple(Path(f"/photos/{i}.jpg") for i in range(4))
MODEL = "/m.safetensors@1|cpu|fp32"


def _planner() -> RunPlanner:
    session = SimpleNamespace(paths=PATHS, current_image=None, current_path=None)
    scores = SimpleNamespace(book=SimpleNamespace(covers=lambda *_a: False))  # no image scored
    planner = RunPlanner(session, AnalysisSettings(), ResultCache(), scores)  # type: ignore[arg-type]
    planner.summarised = lambda _model: lambda paths: ([True] * len(paths), [], [])  # every image summarised by this model
    return planner


def test_a_run_on_all_again_paused_behind_a_video_goes_on_over_every_image() -> None:
    planner = _planner()
    assert planner.run_all(MODEL).jobs == []  # Run on all: every image left out
    planner.everything = True
    assert planner.defer("all", loading=True)  # the model loads: it waits, still a Run on All Again
    assert planner.take_after_load() == "all" and planner.everything
    plan = planner.run_all(MODEL)
    assert [job.path for job in plan.jobs] == list(PATHS) and plan.everything and not planner.everything
    planner.started_all(7, plan)
    assert planner.pause_all({7})  # a video opens: it pauses
    assert planner.after_load == "all" and planner.everything
    assert [job.path for job in planner.run_all(MODEL).jobs] == list(PATHS)  # back in image mode: every image
    assert planner.run_all(MODEL).jobs == []  # spent: Run on all leaves them out again


def test_a_cancel_or_a_failed_load_forgets_a_run_on_all_again() -> None:
    planner = _planner()
    planner.everything = True
    planner.defer("all", loading=True)
    planner.drop_after_load()  # the model failed to load
    assert planner.after_load is None and not planner.everything
    planner.everything = True
    planner.forget()  # Cancel
    assert not planner.everything and planner.run_all(MODEL).jobs == []
