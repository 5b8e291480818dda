"""Fine-tuning a checkpoint on a user's dataset (the app's Fine-tune dialog): the plan's checks, the
written recipe, a real run in its own process, and the progress reader."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from fosp_core.checkpoint import load_checkpoint
from fosp_core.train.config import load_config
from fosp_core.train.finetune import FineTuneError, FineTuneRequest, ProgressReader, plan_finetune
from tests.unit.test_train_support import make_export, save_tiny_checkpoint

# log_every=1: the first progress record is iteration 1's, so a stop test signals after one step, not five
SMALL = ["data.scale=96", "train.val_size=96", "data.workers=0", "train.threads=1", "train.log_every=1"]


@pytest.fixture
def dataset(demo_dir: Path, tmp_path: Path) -> Path:
    return make_export(demo_dir, tmp_path / "my-export")


@pytest.fixture
def tiny_checkpoint(tmp_path: Path) -> Path:
    return save_tiny_checkpoint(tmp_path / "tiny.safetensors")


def _request(dataset: Path, ckpt: Path, tmp_path: Path, **kw: object) -> FineTuneRequest:
    base: dict[str, object] = {"iterations": 2, "crop": 64, "batch_size": 2, "device": "cpu", "name": "ft",
                               "runs_dir": str(tmp_path / "runs"), "overrides": SMALL}
    return FineTuneRequest(dataset=dataset, init_from=ckpt, **{**base, **kw})  # type: ignore[arg-type]


def test_plan_writes_a_recipe_of_the_users_data_and_the_checkpoints_architecture(
        dataset: Path, tiny_checkpoint: Path, tmp_path: Path) -> None:
    plan = plan_finetune(_request(dataset, tiny_checkpoint, tmp_path))
    assert (plan.train_images, plan.val_images) == (3, 1)
    cfg = load_config(plan.recipe)
    assert [(s.path, s.split) for s in cfg.data.train] == [(str(dataset), "train")]
    assert [(s.path, s.split) for s in cfg.data.val] == [(str(dataset), "val")]
    assert cfg.model.name == "fosp-s" and cfg.model.overrides["channels"] == 16
    assert cfg.model.init_from == str(tiny_checkpoint)
    assert cfg.train.iterations == 2 and cfg.data.crop == 64
    cmd = plan.command("python")
    assert cmd[:4] == ["python", "-m", "fosp_core", "train"] and "--export-default" in cmd
    # named after the run, so the Model panel tells fine-tunes apart by their file names
    assert plan.model_out == plan.run_dir / "ft.safetensors" and cmd[cmd.index("--export-default") + 1] == \
        str(plan.model_out)


def test_a_dataset_without_split_lists_trains_on_every_labelled_image(
        dataset: Path, tiny_checkpoint: Path, tmp_path: Path) -> None:
    shutil.rmtree(dataset / "ImageSets")
    plan = plan_finetune(_request(dataset, tiny_checkpoint, tmp_path))
    assert (plan.train_images, plan.val_images) == (4, 0)
    assert load_config(plan.recipe).train.val_every == 0


def test_a_val_list_without_a_train_list_is_flagged_as_trained_on(
        dataset: Path, tiny_checkpoint: Path, tmp_path: Path) -> None:
    assert not plan_finetune(_request(dataset, tiny_checkpoint, tmp_path)).val_in_train
    (dataset / "ImageSets" / "Segmentation" / "train.txt").unlink()
    plan = plan_finetune(_request(dataset, tiny_checkpoint, tmp_path, name="ft2"))
    assert (plan.train_images, plan.val_images) == (4, 1) and plan.val_in_train  # the val image trains too


def test_bad_requests_are_refused_before_anything_runs(dataset: Path, tiny_checkpoint: Path, tmp_path: Path) -> None:
    with pytest.raises(FineTuneError, match="does not exist"):
        plan_finetune(_request(tmp_path / "nowhere", tiny_checkpoint, tmp_path))
    with pytest.raises(FineTuneError, match="checkpoint .* does not exist"):
        plan_finetune(_request(dataset, tmp_path / "none.safetensors", tmp_path))
    junk = tmp_path / "junk.safetensors"
    junk.write_bytes(b"not a checkpoint at all")
    with pytest.raises(FineTuneError, match="cannot start from"):
        plan_finetune(_request(dataset, junk, tmp_path))
    (dataset / "ImageSets" / "Segmentation" / "train.txt").write_text("")
    with pytest.raises(FineTuneError, match="train split is empty"):
        plan_finetune(_request(dataset, tiny_checkpoint, tmp_path))
    empty = tmp_path / "unlabelled"
    (empty / "JPEGImages").mkdir(parents=True)
    with pytest.raises(FineTuneError, match=r"unlabelled has no masks; training and validation need labelled"):
        plan_finetune(_request(empty, tiny_checkpoint, tmp_path))
    assert not (tmp_path / "runs" / "ft" / "last.pt").exists()


def test_a_run_in_its_own_process_exports_a_model_and_reports_progress(
        dataset: Path, tiny_checkpoint: Path, tmp_path: Path) -> None:
    plan = plan_finetune(_request(dataset, tiny_checkpoint, tmp_path))
    done = subprocess.run(plan.command(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    model = load_checkpoint(plan.model_out)
    assert sum(p.numel() for p in model.parameters()) > 0
    card = json.loads((plan.run_dir / "ft.card.json").read_text())
    assert card["training"]["iterations"] == 2
    progress = ProgressReader(plan.run_dir, planned=2).poll()
    assert progress.iteration == 2 and progress.losses and progress.losses[-1][0] == 2
    assert progress.scores and progress.scores[-1][0] == 2 and progress.best is not None
    # a second plan for the same run must resume, not overwrite
    with pytest.raises(FineTuneError, match="already exists"):
        plan_finetune(_request(dataset, tiny_checkpoint, tmp_path))
    resumed = plan_finetune(_request(dataset, tiny_checkpoint, tmp_path, resume=True))
    assert resumed.command()[-1] == "--resume"


def test_progress_reader_reads_only_what_was_added(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    reader = ProgressReader(tmp_path, planned=10)
    assert reader.poll().iteration == 0  # no log yet
    log.write_text(json.dumps({"type": "train", "iter": 5, "loss": 0.5, "sec_per_iter": 2.0}) + "\n"
                   + '{"type": "train", "iter"')  # a line still being written
    p = reader.poll()
    assert p.losses == [(5, 0.5)] and p.eta_seconds == 10.0
    with log.open("a") as f:
        f.write(': 10, "loss": 0.25}\n' + json.dumps({"type": "val", "iter": 10, "fbeta": 0.4}) + "\n")
    p = reader.poll()
    assert p.losses == [(5, 0.5), (10, 0.25)] and p.scores == [(10, 0.4)] and p.best == (10, 0.4)


def test_the_starting_weights_are_validated_first(dataset: Path, tiny_checkpoint: Path, tmp_path: Path) -> None:
    from fosp_core.train.loop import Trainer

    plan = plan_finetune(_request(dataset, tiny_checkpoint, tmp_path, iterations=1))
    assert plan.config.train.val_at_start
    Trainer(plan.config).run()
    progress = ProgressReader(plan.run_dir).poll()
    assert [it for it, _ in progress.scores] == [0, 1]
    assert progress.start_score == progress.scores[0][1]


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_both_stop_signals_interrupt_a_run_even_with_sigint_ignored_at_start(sig: str) -> None:
    """In this process, what the process test below relies on: under `stop_signals` SIGINT (even if
    ignored at start) and SIGTERM raise KeyboardInterrupt, and the previous handlers come back."""
    import os
    import signal
    import time

    from fosp_core.train.signals import stop_signals

    def noted(signum: int, _frame: object) -> None:  # SIGTERM's handler outside: never kills pytest
        seen.append(signum)

    seen: list[int] = []
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN), signal.signal(signal.SIGTERM, noted)
    try:
        with pytest.raises(KeyboardInterrupt), stop_signals():
            os.kill(os.getpid(), getattr(signal, sig))
            time.sleep(5)  # the handler interrupts this at once
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN and signal.getsignal(signal.SIGTERM) is noted
        assert seen == []
    finally:
        signal.signal(signal.SIGINT, previous[0])
        signal.signal(signal.SIGTERM, previous[1])


@pytest.mark.parametrize("sig", ["SIGINT", pytest.param("SIGTERM", marks=pytest.mark.slow)])  # SIGTERM: see above
def test_a_stop_saves_the_state_even_when_sigint_was_ignored_at_start(
        dataset: Path, tiny_checkpoint: Path, tmp_path: Path, sig: str) -> None:
    """A run started from a non-interactive shell's background inherits SIGINT ignored; the app's
    Stop (SIGINT) or a `kill` (SIGTERM) must still save a resumable state and exit with 130."""
    import signal
    import time

    from fosp_core.train.state import load_state

    plan = plan_finetune(_request(dataset, tiny_checkpoint, tmp_path, iterations=100000))

    def ignore_sigint() -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    proc = subprocess.Popen(plan.command(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            preexec_fn=ignore_sigint)
    try:
        log = plan.run_dir / "log.jsonl"
        deadline = time.time() + 120
        while time.time() < deadline and not (log.is_file() and '"type": "train"' in log.read_text()):
            time.sleep(0.2)
        assert proc.poll() is None, proc.communicate()[0][-2000:]
        proc.send_signal(getattr(signal, sig))
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, out[-2000:]
    assert load_state(plan.run_dir / "last.pt")["iteration"] >= 1
    assert "state saved" in out
