"""Which precisions the Model panel's Precision box offers for the device chosen in its Device box (no Qt).

The box lists fp32, bf16 and fp16 always, in that order; those the device the model would run on does not
compute in are shown disabled, each with a tooltip saying why (as a menu greys out what does not apply
rather than hiding it): the CPU computes in fp32 or bf16 (autocast; fp16 failed to load, "precision fp16
is not supported on cpu"), Apple MPS in fp32 or fp16, a CUDA GPU in all three (bf16 depends on the GPU:
left to the load to refuse, as `fosp predict --precision` does). "auto" runs on the first device listed
(:func:`fosp_core.analysis.settings.device_choices`: CUDA GPUs, MPS, then the CPU); before the devices are
known every precision is offered (the load says what fails). The rule is
`fosp_core.infer.devices.supported_precisions`, which needs torch and the device: the window is built before
torch is in.
"""

from __future__ import annotations

from collections.abc import Sequence

from fosp_core.analysis.settings import device_words
from fosp_core.infer.devices import PRECISIONS  # no torch with it

__all__ = ["COMPUTES_IN", "fallback_note", "offered", "runs_on", "unavailable_tip"]

#: the precisions a device kind computes in, fp32 first
COMPUTES_IN: dict[str, tuple[str, ...]] = {"cpu": ("fp32", "bf16"), "mps": ("fp32", "fp16"), "cuda": PRECISIONS}


def runs_on(device: str, listed: Sequence[str] | None) -> str | None:
    """The device a model set to `device` ("auto", "cpu", "cuda:N", "mps") runs on where the devices
    `listed` (names, "auto" first; None: not known yet) are here; None when that is not known (nothing
    listed but "auto", as the panel starts)."""
    if device != "auto":
        return device
    return None if listed is None else next((name for name in listed if name != "auto"), None)


def offered(device: str | None) -> tuple[str, ...]:
    """The precisions `device` (a :func:`runs_on` answer; None: not known) computes in, fp32 first."""
    return PRECISIONS if device is None else COMPUTES_IN.get(device.split(":")[0].lower(), PRECISIONS)


def unavailable_tip(precision: str, device: str) -> str:
    """The tooltip of `precision`'s item, disabled while the model would run on `device`."""
    gpu = " (it needs a GPU: CUDA or Apple MPS)" if precision == "fp16" else ""
    return (f"{precision} is not available on the {device_words(device)}{gpu}: it computes in "
            f"{' or '.join(offered(device))}")


def fallback_note(precision: str, device: str) -> str:
    """What the window says when `precision`, chosen or kept, gives way to fp32 on `device`."""
    return f"Precision {precision} is not available on the {device_words(device)}: using fp32."
