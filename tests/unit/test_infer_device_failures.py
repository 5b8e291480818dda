"""A GPU user's failures, simulated on the CPU (the stand-in model raises what torch raises): out of
memory on the CPU said as such with a way on, a GPU that stops working mid-run stopping the run once
(not failing every later image), full-size maps of a huge image that outgrow the GPU made on the CPU."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from fosp_core.infer import InferenceError, Predictor
from fosp_core.infer import assemble as assemble_mod
from fosp_core.infer import devices as devmod
from fosp_core.infer.device_errors import DeviceFailedError, explain, is_device_failure, is_out_of_memory
from fosp_core.infer.stream import Frame, predict_stream
from tests.unit.test_infer_fakes import FakeFoSp

torch.set_num_threads(1)

CPU_OOM = ("[enforce fail at alloc_cpu.cpp:127] err == 0. DefaultCPUAllocator: can't allocate memory: you tried "
           "to allocate 1125899906842624 bytes. Error code 12 (Cannot allocate memory)")
CUDA_FAILURE = ("CUDA error: an illegal memory access was encountered\nCUDA kernel errors might be asynchronously "
                "reported at some other API call, so the stacktrace below might be incorrect.")


def _image(seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 255, (64, 64, 3), dtype=np.uint8)


def _raising(model: FakeFoSp, exc: BaseException) -> list[int]:
    """Make model.encode raise `exc`; returns the list its calls are counted in."""
    calls: list[int] = []

    def encode(x: torch.Tensor):  # noqa: ANN202
        calls.append(x.shape[0])
        raise exc

    model.encode = encode  # type: ignore[method-assign]
    return calls


@pytest.mark.parametrize("exc", [RuntimeError(CPU_OOM), MemoryError("Unable to allocate 1.00 PiB")])
def test_out_of_memory_on_the_cpu_is_named_with_a_way_on(exc: BaseException) -> None:
    """torch's CPU allocator says "can't allocate memory", numpy raises MemoryError: neither was taken
    for out of memory, so the user read '[enforce fail at alloc_cpu.cpp:127] err == 0 ...'."""
    model = FakeFoSp()
    _raising(model, exc)
    with pytest.raises(InferenceError, match="out of memory on cpu") as caught:
        Predictor(model, device="cpu", input_size=64).predict(_image())
    assert "close other programs" in str(caught.value)
    assert "on the CPU" in explain(caught.value) and "run on the CPU" not in explain(caught.value)


def test_a_gpu_that_stops_working_mid_run_is_said_plainly(monkeypatch) -> None:
    model = FakeFoSp()
    p = Predictor(model, device="cpu", input_size=64)
    monkeypatch.setattr(devmod, "is_accelerator", lambda d: True)  # the 'GPU'
    _raising(model, RuntimeError(CUDA_FAILURE))
    with pytest.raises(DeviceFailedError, match="stopped working") as caught:
        p.predict(_image())
    text = str(caught.value)
    assert "illegal memory access" in text and "might be asynchronously" not in text  # torch's first line only
    assert "--device cpu" in text and explain(caught.value) == text


def test_a_driver_error_is_not_out_of_memory_and_a_model_error_is_no_device_failure() -> None:
    assert is_device_failure(RuntimeError(CUDA_FAILURE)) and not is_out_of_memory(RuntimeError(CUDA_FAILURE))
    assert is_out_of_memory(torch.cuda.OutOfMemoryError("CUDA out of memory."))
    assert not is_device_failure(torch.cuda.OutOfMemoryError("CUDA out of memory."))
    assert not is_device_failure(RuntimeError("mat1 and mat2 shapes cannot be multiplied"))
    assert "run on the CPU" in explain(torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2 GiB"))


def test_a_failed_gpu_stops_the_stream_at_its_first_batch(monkeypatch) -> None:
    """Each batch after the GPU failed failed the same way: 10 frames, 10 'inference failed' lines and
    10 calls to the dead device; the stream now stops at the first."""
    model = FakeFoSp()
    p = Predictor(model, device="cpu", input_size=64, batch_size=1)
    monkeypatch.setattr(devmod, "is_accelerator", lambda d: True)
    calls = _raising(model, RuntimeError(CUDA_FAILURE))
    frames = [Frame(source=Path(f"f{i}.png"), index=i, rgb=_image(i), name=f"f{i}") for i in range(10)]
    seen = []
    with pytest.raises(DeviceFailedError):
        for frame, pred in predict_stream(p, frames, batch_size=1):
            seen.append((frame.name, pred))
    assert seen == [] and len(calls) == 1


def test_full_size_maps_that_outgrow_the_gpu_are_made_on_the_cpu(monkeypatch) -> None:
    """A 512-px network run fits a GPU that the image's full-size maps do not: that out of memory came
    out of predict() untouched (outside the batch's retry)."""
    img = np.random.default_rng(1).integers(0, 255, (96, 160, 3), dtype=np.uint8)
    ref = Predictor(FakeFoSp(), device="cpu", input_size=64).predict(img, need="all")
    real = assemble_mod.maps_from_letterbox
    calls: list[str] = []

    def resize(m: torch.Tensor, geom, mode: str = "bilinear") -> torch.Tensor:  # noqa: ANN001
        calls.append(m.device.type)
        if len(calls) == 1:
            raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 11.00 GiB")
        return real(m, geom, mode)

    monkeypatch.setattr(assemble_mod, "maps_from_letterbox", resize)
    monkeypatch.setattr(assemble_mod, "_on_accelerator", lambda t: True)
    pred = Predictor(FakeFoSp(), device="cpu", input_size=64).predict(img, need="all")
    np.testing.assert_allclose(pred.probability, ref.probability, atol=1e-6)
    assert calls.count("cpu") == len(calls)  # (all on the CPU here; the first map is made twice)
    # (the energies, side maps, Focus Map, hole and background stay at the network's grid: the
    # probability is the one full-size map to make, twice: on the "GPU", then on the CPU)
    assert pred.foreground_energy and pred.side_maps
    assert all(m is not None for m in (pred.focus_map, pred.hole, pred.background))
    assert len(calls) == 2


def test_fosp_predict_on_a_gpu_that_fails_says_so_once_and_exits_1(tiny_checkpoint_file, tmp_path, monkeypatch,
                                                                   capsys) -> None:
    """`fosp predict` ended in a traceback (DeviceFailedError out of the job); it now says it once."""
    from PIL import Image

    from fosp_core.cli import main

    images = tmp_path / "images"
    images.mkdir()
    for i in range(3):
        Image.fromarray(_image(i)).save(images / f"img{i}.png")
    calls: list[int] = []

    def dead_gpu(self, imgs, tau=None, need=None):  # noqa: ANN001, ANN202
        calls.append(len(imgs))
        raise DeviceFailedError("the GPU (cuda:0) stopped working during the run (CUDA error: unspecified "
                                "launch failure); the run was stopped. Run again on the CPU (--device cpu)")

    monkeypatch.setattr(Predictor, "predict_batch", dead_gpu)
    code = main(["predict", str(images), "--checkpoint", str(tiny_checkpoint_file), "--device", "cpu",
                 "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1 and len(calls) == 1
    assert err.count("stopped working") == 1 and "Traceback" not in err
    assert "0 input(s) predicted" in err
