"""Opening a checkpoint draws no random initial weights (`fosp_core.model.weight_init`).

`load_checkpoint` built the model with SegFormer's initialisation (a truncated normal for every linear layer, He
normals for the decoder) and then overwrote every weight with the file's: the draw was about 60 % of opening the
default model (bench/bench_model_load.py). It is skipped now, on the loading thread only, and the loaded model is
the file's weights exactly."""

from __future__ import annotations

import threading
from pathlib import Path

import torch
from torch import nn

from fosp_core.checkpoint import load_checkpoint, save_checkpoint
from fosp_core.model.registry import build_model
from fosp_core.model.weight_init import initialising, weights_to_be_loaded


def _counting_draws(monkeypatch) -> list[str]:  # noqa: ANN001 - pytest's monkeypatch
    """The names of the threads that drew a truncated normal (SegFormer's linear-layer initialisation)."""
    drawn: list[str] = []
    real = nn.init.trunc_normal_

    def counted(tensor, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202 - nn.init's signature
        drawn.append(threading.current_thread().name)
        return real(tensor, *args, **kwargs)

    monkeypatch.setattr(nn.init, "trunc_normal_", counted)
    return drawn


def test_opening_a_checkpoint_draws_no_initial_weights_and_loads_them_exactly(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    saved = build_model("fosp-s", tau=0.3).eval()
    path = save_checkpoint(saved, tmp_path / "m.safetensors")
    drawn = _counting_draws(monkeypatch)
    loaded = load_checkpoint(path)
    assert drawn == [], f"load_checkpoint drew {len(drawn)} truncated normals only to overwrite them"
    ours, theirs = saved.state_dict(), loaded.state_dict()
    assert ours.keys() == theirs.keys()
    assert all(torch.equal(ours[k], theirs[k]) for k in ours), [k for k in ours if not torch.equal(ours[k], theirs[k])]
    assert torch.equal(loaded.pixel_mean, saved.pixel_mean) and torch.equal(loaded.pixel_std, saved.pixel_std)
    assert initialising()  # the switch is off again after the load


def test_a_model_built_meanwhile_on_another_thread_is_initialised(monkeypatch) -> None:  # noqa: ANN001
    drawn = _counting_draws(monkeypatch)
    built: list[nn.Module] = []
    with weights_to_be_loaded():
        assert not initialising()
        worker = threading.Thread(target=lambda: built.append(build_model("fosp-s")), name="other")
        worker.start()
        worker.join()
    assert drawn and set(drawn) == {"other"}, drawn
    head = built[0].fusion.classifier.weight.detach()  # the decoder's normal(0, 0.01), drawn on its thread
    assert 0.005 < float(head.std()) < 0.02, float(head.std())


def test_a_model_built_outside_the_block_is_initialised(monkeypatch) -> None:  # noqa: ANN001
    drawn = _counting_draws(monkeypatch)
    with weights_to_be_loaded():
        pass
    model = build_model("fosp-s")
    assert drawn
    linear = next(m for m in model.backbone.modules() if isinstance(m, nn.Linear))
    assert 0.01 < float(linear.weight.detach().std()) < 0.03  # trunc-normal(0.02)
