"""Review of 31aacd06 (a resume reuses the final validation's estimate its log.jsonl holds, unless it was
measured on another device): the device was its torch name alone, "cpu", so a run folder copied to
another computer (or resumed in the app on a laptop after a workstation began it), or resumed with another
`train.threads`, reused a pace measured on other cores: seconds an image off by the ratio of the two
machines, and the budget's final validation shortened for nothing or run past the budget. The estimate
now names the computer and the thread count too; either changed, it is measured again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from tests.unit.test_train_s32_resume_estimate import Stopped, _run, copy_of_stopped, stopped  # noqa: F401 (fixture)


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


@pytest.mark.parametrize(("key", "other"), [("host", "another-computer"), ("threads", 7)])
def test_an_estimate_of_another_computer_or_thread_count_is_measured_again(
        demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str, other: object,
        stopped: Stopped) -> None:  # noqa: F811 (the fixture)
    log = copy_of_stopped(stopped, tmp_path)
    records = [json.loads(line) for line in log.read_text().splitlines()]
    for r in records:
        if r.get("event") == "validation_estimate":
            r[key] = other
    log.write_text("".join(json.dumps(r) + "\n" for r in records))

    resumed = _run(demo_dir, tmp_path, monkeypatch, resume=True)
    assert resumed.probes == 1 and "is reused" not in resumed.said, resumed.said


def test_the_same_computer_still_reuses_it(demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           stopped: Stopped) -> None:  # noqa: F811 (the fixture)
    copy_of_stopped(stopped, tmp_path)
    resumed = _run(demo_dir, tmp_path, monkeypatch, resume=True)
    assert resumed.probes == 0 and "is reused" in resumed.said, resumed.said
