"""`fosp train … --resume-from <an inpainter run>/last.pt` said "…/last.pt: a 'inpainter' training
state; this is a 'segmentation' run": no article that fits, the task kinds as Python strings, and
nothing on what to do. It says which command continues that state and how its weights serve the
other task (an inpainter: model.inpainter=<run>/best.safetensors)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from fosp_core.train import resume
from fosp_core.train.state import StateError


@pytest.mark.parametrize(("saved", "kind", "said"), [
    ("inpainter", "segmentation",
     "an inpainter training state (fosp train-inpainter), and fosp train trains segmentation: continue it with "
     "fosp train-inpainter … --resume-from STATE; a FoSp run takes its weights as model.inpainter="),
    ("segmentation", "inpainter",
     "a segmentation training state (fosp train), and fosp train-inpainter trains the inpainter: continue it "
     "with fosp train … --resume-from STATE"),
])
def test_another_tasks_state_says_which_command_continues_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             saved: str, kind: str, said: str) -> None:
    monkeypatch.setattr(resume, "load_state", lambda _path: {"task": saved})
    trainer = SimpleNamespace(task=SimpleNamespace(kind=kind))
    with pytest.raises(StateError) as raised:
        resume.restore(trainer, tmp_path / "last.pt")  # type: ignore[arg-type]
    assert said in str(raised.value), raised.value
    assert "a 'inpainter'" not in str(raised.value)
