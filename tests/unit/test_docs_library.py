"""docs/library.md cannot go stale: every ```python block runs, in order, in one namespace.

They run as written on the bundled demo images with the bundled default model, in a scratch folder
(caches and runs there too), with two changes for speed, said in the guide: the network's input is
64 px (`Predictor`'s input_size capped), and the fine-tuning block builds its Trainer (reads the
recipe, opens the data, loads the starting weights) but `Trainer.run` is replaced by a stand-in
(two real steps and a validation take minutes on 2 cores). `clip.mp4`, the video the guide reads,
is made here from the demo images.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "library.md"
FAST_INPUT = 64


def python_blocks(text: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)


def _make_clip(path: Path) -> None:
    from fosp_core.infer.video import OverlayVideoWriter
    from fosp_core.io.images import read_image

    frames = [read_image(p).rgb[::8, ::8] for p in sorted((ROOT / "resources/demo/JPEGImages").glob("*.jpg"))]
    with OverlayVideoWriter(path, 4.0, (64, 64)) as writer:
        for rgb in frames:
            writer.write(np.ascontiguousarray(rgb))


def test_the_guide_has_its_sections_and_blocks() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert len(python_blocks(text)) >= 8
    for heading in ("## One image", "## A predictor for many images", "## Scores against labels",
                    "## Datasets", "## Folders and videos", "## Fine-tuning", "## Errors"):
        assert heading in text


def test_every_example_of_the_guide_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    import torch

    import fosp_core
    from fosp_core.infer import api
    from fosp_core.infer.predictor import Predictor
    from fosp_core.train.loop import Trainer

    if fosp_core.paths.find_model() is None:
        pytest.skip("no default model on the search path (resources/models/fosp-default.safetensors)")
    torch.set_num_threads(1)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    real_init = Predictor.__init__

    def fast_init(self, model, *, input_size: int = 512, **kwargs) -> None:  # noqa: ANN001
        real_init(self, model, input_size=min(input_size, FAST_INPUT), **kwargs)

    ran: list[Trainer] = []

    def stand_in_run(self: Trainer) -> SimpleNamespace:
        ran.append(self)
        return SimpleNamespace(run_dir=self.run_dir, best=None)

    monkeypatch.setattr(Predictor, "__init__", fast_init)
    monkeypatch.setattr(Trainer, "run", stand_in_run)
    _make_clip(tmp_path / "clip.mp4")
    namespace: dict = {"__name__": "docs_library"}
    try:
        for i, block in enumerate(python_blocks(DOC.read_text(encoding="utf-8"))):
            try:
                exec(compile(block, f"docs/library.md block {i + 1}", "exec"), namespace)  # noqa: S102
            except Exception as exc:
                raise AssertionError(f"docs/library.md python block {i + 1} failed: {exc!r}\n{block}") from exc
    finally:
        api.forget_predictor()
    out = capsys.readouterr().out
    assert "Prediction(shape=(512, 512)" in out and "protocol: smokeseg" in out
    assert "not-an-image error: " in out  # the unreadable file is named, the run went on
    assert re.search(r"^[02] \d", out, flags=re.M)  # frames 0 and 2 of the clip
    assert len(ran) == 1 and ran[0].run_dir.name == "my-finetune"
    assert (tmp_path / "predicted-smokeseg" / "ImageSets" / "Segmentation" / "val.txt").is_file()
