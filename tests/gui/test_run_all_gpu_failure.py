"""A GPU that stops working in the middle of "Run on all" (a driver error, a lost device): the predictor
raises :class:`~fosp_core.infer.device_errors.DeviceFailedError`, and every later image would fail the
same way. The run used to go on and report the same failure once per remaining image; it now stops at
the first one and says it once, in words a user can act on. An out-of-memory error on the CPU is said as
the CPU's (it used to be wrapped in "out of memory on the device ... choose the CPU")."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.analysis.inference_worker import describe_error
from fosp_core.infer.device_errors import DeviceFailedError, device_failed
from tests.gui.run_all_wait import run_all
from tests.gui.tiny_model import WAIT_MS, ready_window, save_tiny_checkpoint


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny-fosp-s.safetensors")


def test_a_gpu_that_fails_stops_run_all_at_the_first_image(qtbot, make_window, checkpoint, demo_dir,
                                                          tmp_path) -> None:
    window, ctl = ready_window(qtbot, make_window, checkpoint, [demo_dir], tmp_path / "projects")
    assert len(window.session) >= 3
    engine = ctl.worker._engine
    calls: list[int] = []

    def dead_gpu(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(1)
        raise device_failed("cuda:0", RuntimeError("CUDA error: unspecified launch failure\nCUDA kernel errors..."))

    engine.predictor.predict = dead_gpu
    before = len(ctl.errors)
    request = run_all(qtbot, ctl)
    qtbot.waitUntil(lambda: request not in ctl._runs, timeout=WAIT_MS * 2)
    told = ctl.errors[before:]
    assert len(calls) == 1, f"the run went on after the GPU failed: {len(calls)} calls"
    assert len(told) == 1, told
    assert "stopped working" in told[0] and "--device cpu" in told[0]
    assert "kernel errors" not in told[0]  # torch's debugging advice is not shown
    run = ctl.run_current()  # the window is not stuck: the next run is taken (and fails the same way)
    qtbot.waitUntil(lambda: run not in ctl._runs, timeout=WAIT_MS)


def test_out_of_memory_on_the_cpu_is_said_as_the_cpus() -> None:
    text = describe_error(RuntimeError("[enforce fail at alloc_cpu.cpp:127] DefaultCPUAllocator: "
                                       "can't allocate memory: you tried to allocate 9663676416 bytes"))
    assert "out of memory on the CPU" in text and "choose the CPU" not in text
    assert describe_error(MemoryError()).startswith("out of memory on the CPU")
    gpu = describe_error(RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB"))
    assert "out of memory on the GPU" in gpu
    assert describe_error(DeviceFailedError("the GPU (cuda:0) stopped working")) == "the GPU (cuda:0) stopped working"
