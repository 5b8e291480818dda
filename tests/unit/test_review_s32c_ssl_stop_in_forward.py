"""`fosp train-ssl` promises an exact resume (its state holds the RNG states), but a stop inside a step's
forward - stochastic depth draws from the global RNG there (drop_path_rate 0.1 by default) - saved the RNG
states the aborted step had moved, so the resumed run drew other drop-path masks than the run never
stopped: other weights. c6592a65 mended it for `fosp train` (`step.StepStart`); the SSL step now puts
the buffers and RNG states back the same way. The stop is raised from inside the forward (no timing)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import torch

from fosp_core.train.ssl import SSLTrainer, resume_config
from tests.unit.test_train_ssl import _cfg, data_root  # noqa: F401 (the fixture)


def test_a_stop_in_the_forward_resumes_exactly(data_root: Path, tmp_path: Path) -> None:  # noqa: F811
    over = {"save_every": 0, "drop_path_rate": 0.3}
    straight = SSLTrainer(_cfg(data_root, tmp_path, name="straight", **over), stream=io.StringIO())
    straight.run()

    cfg = _cfg(data_root, tmp_path, name="split", **over)
    first = SSLTrainer(cfg, stream=io.StringIO())
    forward = first.model.forward

    def forward_then_stop(*args: Any, **kwargs: Any) -> Any:
        out = forward(*args, **kwargs)  # drop path drew from the RNG
        if first.iteration == 2:
            raise KeyboardInterrupt
        return out

    first.model.forward = forward_then_stop  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        first.run()
    torch.manual_seed(12345)  # disturb the global RNG: the resume sets the saved one
    resumed_cfg, state = resume_config(True, {"name": "split", "runs_dir": str(tmp_path)})
    resumed = SSLTrainer(resumed_cfg, resume=state, stream=io.StringIO())
    assert resumed.iteration == 2
    resumed.run()
    differ = [k for k, v in straight.model.state_dict().items() if not torch.equal(v, resumed.model.state_dict()[k])]
    assert not differ, differ[:5]
