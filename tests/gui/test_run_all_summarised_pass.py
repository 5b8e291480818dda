"""Run on all's plan asks `WorklistSummaries.summarised_hook`'s pass once for the plan's images (the
`RunPlanner.summarised` hook, on the planning worker: `run_plan.find`): the images' folders resolved once for the pass
(`ProjectRegistry.lookup_pass`) instead of ~7 file-system calls an image in `ProjectRegistry.lookup`,
with the same answers as one image at a time. Counted calls, not time (bench/bench_run_all_lookup.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QObject, Signal

from app.analysis.run_plan import RunPlanner, find
from app.annotation.projects import ProjectRegistry
from app.annotation.worklist_summaries import WorklistSummaries, model_stamp
from fosp_core.analysis.results import ResultCache
from fosp_core.analysis.settings import AnalysisSettings
from fosp_core.annotation.prelabel import stamp_summary
from fosp_core.annotation.summaries import file_stamp, label_file
from tests.stat_count import counted_stats

N = 500  # images a folder: 1000 in all
MODEL = "/m.safetensors@1|cpu|fp32"


class _Controller(QObject):
    state_changed = Signal()

    def __init__(self, registry: ProjectRegistry) -> None:
        super().__init__()
        self.registry = registry
        self.state = SimpleNamespace(threshold=0.5)


@pytest.fixture()
def registry(tmp_path: Path) -> Iterator[ProjectRegistry]:
    registry = ProjectRegistry(tmp_path / "projects")
    yield registry
    registry.close()


def _images(tmp_path: Path, registry: ProjectRegistry) -> list[Path]:
    """A dataset of N labelled images and a plain folder of N, deep under `tmp_path`, both open."""
    deep = tmp_path / "share" / "team" / "smoke"
    ds, plain = deep / "ds", deep / "plain"
    (ds / "JPEGImages").mkdir(parents=True)
    (ds / "SegmentationClass").mkdir()
    plain.mkdir()
    for i in range(N):
        (ds / "JPEGImages" / f"d{i}.jpg").touch()
        (ds / "SegmentationClass" / f"d{i}.png").touch()
        (plain / f"p{i}.png").touch()
    registry.open_for([ds, plain])
    assert len(registry.projects) == 2
    return sorted((ds / "JPEGImages").iterdir()) + sorted(plain.iterdir())


def _summaries(registry: ProjectRegistry, qtbot) -> WorklistSummaries:  # noqa: ANN001
    controller = _Controller(registry)
    worker = SimpleNamespace(add_follower=lambda _f: None, followed=SimpleNamespace(connect=lambda _s: None),
                             result=SimpleNamespace(connect=lambda _s: None))
    summaries = WorklistSummaries(controller, worker)  # type: ignore[arg-type]
    summaries.settings = AnalysisSettings(device="cpu")
    model = SimpleNamespace(model_id=MODEL, info=SimpleNamespace(tau=summaries.settings.tau), digest="d1g")
    summaries.loaded = lambda: model  # type: ignore[assignment,return-value]
    return summaries


def test_run_all_plan_asks_once_with_a_call_or_two_per_image(
        qtbot, tmp_path: Path, registry: ProjectRegistry, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    paths = _images(tmp_path, registry)
    summaries = _summaries(registry, qtbot)
    stamp = model_stamp(summaries.loaded(), summaries.settings, 0.5)
    assert stamp is not None
    for project in registry.projects:  # every other image summarised by this model, against its label as it is
        for entry in project.entries[::2]:
            entry.prediction = stamp_summary({}, stamp, file_stamp(label_file(project, entry.id)))
    summaries.settings.threshold = 0.5
    session = SimpleNamespace(paths=tuple(paths), current_image=None, current_path=None)
    scores = SimpleNamespace(book=SimpleNamespace(covers=lambda *_a: False))  # no image scored
    planner = RunPlanner(session, summaries.settings, ResultCache(), scores)  # type: ignore[arg-type]
    asked: list[int] = []

    def hook(model_id: str):  # noqa: ANN202
        ask = summaries.summarised_hook(model_id)
        assert ask is not None
        return lambda many: asked.append(len(many)) or ask(many)

    planner.summarised = hook
    ask = planner.ask(MODEL)
    found, in_pass = counted_stats(monkeypatch, lambda: find(ask))
    plan = planner.finish(ask, found)
    one_by_one, per_image = counted_stats(monkeypatch, lambda: [summaries.summarised(p, MODEL) for p in paths])
    assert asked == [len(paths)]  # one question for the plan's 1000 images
    assert [job.path for job in plan.jobs] == [p for p, done in zip(paths, one_by_one, strict=True) if not done]
    assert sum(one_by_one) == len(paths) // 2 and len(plan.jobs) == len(paths) // 2
    # an lstat an image (a link?), a stat of each summarised image's label, and each folder (2, with the
    # dataset's label folder never resolved) walked once, a call or two per component of its (tmp) path
    per_folder = 2 * (len(tmp_path.parts) + 5)
    assert in_pass <= len(paths) + N // 2 + 2 * per_folder, (in_pass, len(paths), per_image)
    assert 3 * in_pass < per_image, (in_pass, per_image)
    print(f"calls: {in_pass} in one pass, {per_image} image by image, {len(paths)} images")
