"""`fosp train` / `fosp train-inpainter` / `fosp train-export` end to end on the demo samples."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest
import torch

from fosp_core.cli import main
from fosp_core.train.state import load_state
from tests.unit.test_train_support import TINY_MODEL, tiny_config_toml


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _records(run: Path, kind: str) -> list[dict]:
    lines = (run / "log.jsonl").read_text().splitlines()
    return [r for r in map(json.loads, lines) if r["type"] == kind]


def test_train_then_resume_longer(demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    cfg = tiny_config_toml(demo_dir, tmp_path / "runs", tmp_path / "tiny.toml")
    assert main(["train", str(cfg), "train.iterations=2", "name=cli"]) == 0
    run = tmp_path / "runs" / "cli"
    assert load_state(run / "last.pt")["iteration"] == 2
    assert (run / "config.toml").is_file()
    assert main(["train", str(cfg), "train.iterations=2", "name=cli"]) == 2  # exists, no --resume: usage
    assert "--resume" in capsys.readouterr().err
    assert main(["train", str(cfg), "--resume", "train.iterations=3", "name=cli"]) == 0
    assert load_state(run / "last.pt")["iteration"] == 3
    assert [r["iter"] for r in _records(run, "train")] == [1, 2, 3]
    assert [r["event"] for r in _records(run, "event")] == ["start", "resume"]


def test_bad_config_and_data_give_clear_errors(demo_dir: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture) -> None:
    cfg = tiny_config_toml(demo_dir, tmp_path / "runs", tmp_path / "tiny.toml")
    assert main(["train", str(cfg), "train.iteratons=5"]) == 2
    err = capsys.readouterr().err
    assert "unknown key 'train.iteratons'" in err and "train.iteratons=5" in err
    bad = tmp_path / "bad.toml"
    bad.write_text(cfg.read_text().replace("batch_size = 2", 'batch_size = "two"'))
    assert main(["train", str(bad)]) == 2
    err = capsys.readouterr().err
    assert str(bad.resolve()) in err and "'train.batch_size' must be int, got str 'two'" in err
    assert main(["train", str(cfg), 'data.root="/no/such/root"']) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["train", str(cfg), "model.init_from=/no/such/weights.safetensors"]) == 2
    assert "no such file" in capsys.readouterr().err
    assert not (tmp_path / "runs" / "tiny" / "last.pt").exists()


def test_disk_full_while_saving_keeps_last_good_state(demo_dir: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture) -> None:
    cfg = tiny_config_toml(demo_dir, tmp_path / "runs", tmp_path / "tiny.toml")
    real_save = torch.save
    calls = {"n": 0}

    def save_then_fill_disk(obj: object, f: object, *args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] >= 2:  # the first checkpoint (iteration 2) succeeds, the second hits a full disk
            f.write(b"half a checkpoint")  # type: ignore[attr-defined]
            raise OSError(errno.ENOSPC, "No space left on device")
        real_save(obj, f, *args, **kwargs)

    monkeypatch.setattr(torch, "save", save_then_fill_disk)
    assert main(["train", str(cfg), "train.iterations=4", "train.save_every=2"]) == 1
    err = capsys.readouterr().err
    assert "no space left on device" in err and "previous file is intact" in err and "--resume" in err
    monkeypatch.setattr(torch, "save", real_save)
    run = tmp_path / "runs" / "tiny"
    assert load_state(run / "last.pt")["iteration"] == 2
    assert not [p for p in run.iterdir() if p.name.endswith(".tmp")]
    assert main(["train", str(cfg), "train.iterations=4", "--resume"]) == 0
    assert load_state(run / "last.pt")["iteration"] == 4


def test_inpainter_then_fosp_with_it(demo_dir: Path, tmp_path: Path) -> None:
    cfg = tiny_config_toml(demo_dir, tmp_path / "runs", tmp_path / "tiny.toml",
                           inpainter={"overrides": TINY_MODEL["inpainter"], "val_images": 2})
    val = f'data.val=[{{path = "{demo_dir.name}", split = "val"}}]'
    assert main(["train-inpainter", str(cfg), "name=inp", "train.iterations=2", "optim.head_lr_mult=1.0",
                 "train.best_metric=psnr", val]) == 0
    weights = tmp_path / "runs" / "inp" / "best.safetensors"
    assert weights.is_file()
    assert main(["train", str(cfg), "name=fosp", "train.iterations=1", f"model.inpainter={json.dumps(str(weights))}"]) == 0
    # a FoSp run state is not an inpainter state
    assert main(["train-inpainter", str(cfg), "name=fosp", "train.iterations=2", "--resume"]) == 2


def test_export_default_and_continue_from_it(demo_dir: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture) -> None:
    cfg = tiny_config_toml(demo_dir, tmp_path / "runs", tmp_path / "tiny.toml")
    val = f'data.val=[{{path = "{demo_dir.name}", split = "val"}}]'
    out = tmp_path / "models" / "fosp-default.safetensors"
    assert main(["train", str(cfg), "name=first", "train.iterations=2", val, "--export-default", str(out)]) == 0
    card = json.loads((tmp_path / "models" / "fosp-default.card.json").read_text())
    assert card["model"]["name"] == "fosp-s" and card["weights"]["dtype"] == "float16"
    assert card["training"]["iterations"] == 2 and card["training"]["wall_time_s"] >= 0
    assert card["validation"]["table"] and "fbeta" in card["validation"]["metrics"]
    assert card["data"]["opened"][0]["size"] == 4 and card["recipe"]["optim"]["lr"] == pytest.approx(1e-3)
    from safetensors import safe_open

    with safe_open(str(out), framework="pt") as f:
        assert all(f.get_tensor(k).dtype in (torch.float16, torch.int64) for k in f.keys())
        assert f.metadata()["model_name"] == "fosp-s"
    # the committed fp16 weights start a run on another machine ...
    assert main(["train", str(cfg), "name=second", "train.iterations=1", f"model.init_from={json.dumps(str(out))}"]) == 0
    # ... but not one of another variant
    assert main(["train", str(cfg), "name=third", "model.name=segformer-b0", "train.iterations=1",
                 f"model.init_from={json.dumps(str(out))}"]) == 2
    assert "segformer-b0" in capsys.readouterr().err
    # the separate command gives the same files
    again = tmp_path / "again.safetensors"
    assert main(["train-export", str(tmp_path / "runs" / "first"), str(again)]) == 0
    assert (tmp_path / "again.card.json").is_file()
