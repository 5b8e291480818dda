"""Model-panel state (checkpoint, device, precision, input, thresholds, regions) and checkpoint descriptions. No Qt.

:class:`AnalysisSettings` is the truth the model panel binds to both ways; every change fires
``events.changed(field)``. :func:`read_model_info` describes a checkpoint from its metadata without
building the model; :func:`device_choices` lists what ``fosp info`` finds.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fosp_core.infer.result import DEFAULT_THRESHOLD
from fosp_core.metrics.decision import parse_rule
from fosp_core.session import Event
from fosp_core.weights_precision import stored_precision

DEFAULT_TAU = 0.15

#: What the network sees of an image (the Model panel's "Input"): "default" = the whole image
#: letterboxed to the app's input size (512, as the model was trained), another size in pixels, or
#: "tiled" = overlapping tiles of that size at the image's native resolution (huge frames, tiny plumes).
INPUT_CHOICES: tuple[tuple[str, str], ...] = (
    ("default", "512 px, as trained"),
    ("384", "384 px"),
    ("448", "448 px"),
    ("640", "640 px"),
    ("768", "768 px"),
    ("tiled", "512 px tiles, full resolution"),
)


#: The network input's long side for "default" (what the bundled recipes train and validate at).
DEFAULT_INPUT_SIZE = 512


#: Which regions of the thresholded mask count as smoke (the Model panel's "Regions"; rules of
#: :mod:`fosp_core.metrics.decision`). "plain" keeps every pixel above the threshold, as validation
#: measures the model; the core rules drop regions with no pixel above T, trading faint plumes for
#: fewer false alarms (the default model's card gives the measured trade-off).
KEEP_CHOICES: tuple[tuple[str, str], ...] = (
    ("plain", "All regions"),
    ("core:0.7", "With a core above 0.7"),
    ("core:0.8", "With a core above 0.8"),
)


def keep_words(keep: str) -> str:
    """The region rule `keep` in words, the one wording of every place that shows it (the metrics note,
    the mask's legend, the compare grid's title, a comparison's summary): the Model panel's
    (:data:`KEEP_CHOICES`) after "regions", "regions with a core above 0.7"; "" for "plain" (every
    region kept). The rules the panel does not offer are worded alike ("regions with a mean probability
    above 0.6", "regions of at least 64 pixels at a 512 px long side"): never the code ("core:0.7"),
    which only ``fosp eval --keep`` and a comparison CSV's "regions" column spell."""
    if keep in dict(KEEP_CHOICES):
        return "" if keep == "plain" else f"regions {dict(KEEP_CHOICES)[keep].lower()}"
    try:
        rule = parse_rule(keep)
    except ValueError:
        return f"regions {keep}"
    if rule.kind == "plain":
        return ""
    if rule.kind == "core":
        return f"regions with a core above {rule.value:g}"
    if rule.kind == "mean":
        return f"regions with a mean probability above {rule.value:g}"
    return f"regions of at least {rule.value:g} pixels at a 512 px long side"  # keep_regions measures so


def predictor_input(choice: str, default_size: int = DEFAULT_INPUT_SIZE) -> dict[str, Any]:
    """Predictor keyword arguments (input_size, tiled; tile and overlap for tiles) for an input
    choice; ValueError if unknown."""
    if choice == "default":
        return {"input_size": default_size, "tiled": False}
    if choice == "tiled":
        return {"input_size": default_size, "tiled": True, "tile": default_size, "overlap": default_size // 4}
    if choice.isdigit() and int(choice) % 32 == 0 and int(choice) > 0:
        return {"input_size": int(choice), "tiled": False}
    raise ValueError(f"unknown input choice {choice!r}; choose one of {[c for c, _ in INPUT_CHOICES]}")


@dataclass(frozen=True)
class AnalysisEvents:
    """changed(field): "checkpoint", "device", "precision", "input", "threshold", "keep" or "tau"."""

    changed: Event = field(default_factory=Event)


class AnalysisSettings:
    """What the model panel shows: the checkpoint file (None = none chosen), device name ("auto",
    "cpu", "cuda:0", "mps"), precision ("fp32"/"bf16"/"fp16"), input (see :data:`INPUT_CHOICES`),
    mask threshold and Focus τ (0..1), and keep, the region rule of the mask (see
    :data:`KEEP_CHOICES`; any rule :func:`~fosp_core.metrics.decision.parse_rule` reads)."""

    def __init__(self, checkpoint: Path | None = None, device: str = "auto", precision: str = "fp32",
                 threshold: float = DEFAULT_THRESHOLD, tau: float = DEFAULT_TAU, input: str = "default",
                 keep: str = "plain") -> None:
        self.events = AnalysisEvents()
        self.checkpoint = checkpoint
        self.device = device
        self.precision = precision
        predictor_input(input)  # refuse an unknown choice early
        self.input = input
        self.threshold = float(threshold)
        self.tau = float(tau)
        self.keep = str(parse_rule(keep))

    def _set(self, name: str, value: Any) -> None:
        if getattr(self, name) != value:
            setattr(self, name, value)
            self.events.changed.emit(name)

    def set_checkpoint(self, path: str | Path | None) -> None:
        self._set("checkpoint", None if path is None else Path(path))

    def set_device(self, device: str) -> None:
        self._set("device", str(device))

    def set_precision(self, precision: str) -> None:
        self._set("precision", str(precision))

    def set_input(self, choice: str) -> None:
        """What the network sees: one of :data:`INPUT_CHOICES` (ValueError otherwise)."""
        predictor_input(choice)
        self._set("input", str(choice))

    def set_threshold(self, threshold: float) -> None:
        """Mask threshold, clamped to 0..1 and rounded to 1e-3 (the slider's step)."""
        self._set("threshold", round(min(1.0, max(0.0, float(threshold))), 3))

    def set_keep(self, rule: str) -> None:
        """Region rule of the mask: "plain", "core:T", "mean:T" or "area:A" (ValueError otherwise),
        stored in its canonical spelling."""
        self._set("keep", str(parse_rule(rule)))

    def set_tau(self, tau: float) -> None:
        """Focus threshold τ, clamped to 0..1 and rounded to 1e-3."""
        self._set("tau", round(min(1.0, max(0.0, float(tau))), 3))


@dataclass(frozen=True)
class ModelInfo:
    """A checkpoint as the panel describes it."""

    path: Path
    name: str
    variant: str
    parameters: int
    training_data: str
    tau: float | None
    #: A fine-tune's start (its card's `data.started_from`): its name, what it was trained on, and
    #: whether these weights are its own (the fine-tune never beat it).
    started_from: str = ""
    start_data: str = ""
    same_as_start: bool = False
    #: the precision the file stores its weights in (`fosp_core.weights_precision`: "fp16", "fp32", ...; "" unknown);
    #: every checkpoint loads into an fp32 model, whatever it is
    weights: str = ""

    def summary(self, device: str = "") -> str:
        """Several lines: the name (unless it is the file's, which the panel shows above), variant,
        parameters and the device it runs on, training data (a fine-tune: its start and the start's)."""
        on = f" · on {device_words(device)}" if device else ""
        lines = [] if self.name == self.path.stem else [self.name]
        lines.append(f"variant {self.variant} · {self.parameters / 1e6:.2f} M parameters{on}")
        if not self.started_from:
            lines.append(f"trained on: {self.training_data}")
            return "\n".join(lines)
        same = f"; no gain: these are {self.started_from}'s own weights" if self.same_as_start else ""
        lines.append(f"fine-tuned from {self.started_from} on {self.training_data}{same}")
        if self.start_data:
            lines.append(f"{self.started_from}: trained on {self.start_data}")
        return "\n".join(lines)


def _describe_data(value: Any) -> str:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return value
    if isinstance(value, dict):
        value = value.get("train", value)
    if isinstance(value, list):
        names = [_describe_source(v) if isinstance(v, dict) else str(v) for v in value]
        return ", ".join(dict.fromkeys(names)) or "unknown"
    return str(value)


def _describe_source(spec: dict) -> str:
    """A training-data entry as the trainer names it: ``path[split]``, ``path<subset>``,
    ``synthetic(path)`` for smoke composited on the fly."""
    name = str(spec.get("name") or spec.get("path") or spec)
    if spec.get("split"):
        name += f"[{spec['split']}]"
    if spec.get("subset") and spec["subset"] != "all":
        name += f"<{spec['subset']}>"
    return f"synthetic({name})" if spec.get("kind") == "synthetic" else name


def _counted(key: str) -> bool:
    """Whether the tensor `key` is a parameter (a batch norm's running statistics and counter are not)."""
    return "running_" not in key and "num_batches" not in key


def _parameters(path: Path) -> tuple[int, dict[str, str]]:
    """(the number of parameters, the metadata) of the checkpoint at `path`: a safetensors file's from its header
    (each tensor's shape; opened, checked and refused as `read_checkpoint` does, in its words: no tensor read, where
    a load used to read every one only to count them); any other read whole (`read_checkpoint`)."""
    from fosp_core.checkpoint import read_checkpoint
    from fosp_core.checkpoint_files import _refuse_empty, _unreadable_safetensors, is_safetensors

    if not path.is_file() or not is_safetensors(path):  # missing, a folder: read_checkpoint says so
        tensors, meta = read_checkpoint(path)
        return sum(t.numel() for k, t in tensors.items() if _counted(k)), meta
    from safetensors import SafetensorError, safe_open

    _refuse_empty(path)
    try:
        with safe_open(str(path), framework="pt", device="cpu") as fh:
            meta = dict(fh.metadata() or {})
            shapes = [fh.get_slice(k).get_shape() for k in fh.keys() if _counted(k)]
    except (SafetensorError, OSError, ValueError) as exc:
        raise _unreadable_safetensors(path, exc) from exc
    return sum(math.prod(shape) for shape in shapes), meta


def read_model_info(path: str | Path) -> ModelInfo:
    """Describe the checkpoint at `path` from its metadata (and a ``<stem>.card.json`` beside it).

    Raises:
        CheckpointError: the file is missing or not a readable checkpoint.
    """
    path = Path(path)
    params, meta = _parameters(path)
    config: dict[str, Any] = {}
    try:
        config = json.loads(meta.get("config", "{}"))
    except ValueError:
        pass
    if not isinstance(config, dict):  # a damaged file; loading it names the fault
        config = {}
    data = next((meta[k] for k in ("training_data", "data", "dataset") if k in meta), None)
    card_file = path.with_name(path.stem + ".card.json")
    card: dict[str, Any] = {}
    if card_file.is_file():
        try:
            found = json.loads(card_file.read_text(encoding="utf-8"))
            card = found if isinstance(found, dict) else {}
        except (OSError, ValueError):
            card = {}
    if data is None:
        data = card.get("data")
    if data is None:
        data = f"run {meta['run']}" if "run" in meta else "not recorded in the checkpoint"
    start = data.get("started_from") if isinstance(data, dict) else None
    start = start if isinstance(start, dict) else {}
    weights = card.get("weights") if isinstance(card.get("weights"), dict) else {}
    tau = config.get("tau") if config.get("separation") is not False else None  # no τ hole without Separation
    return ModelInfo(path=path, name=path.stem, variant=meta.get("model_name", config.get("name", "unknown")),
                     parameters=int(params), training_data=_describe_data(data),
                     tau=float(tau) if isinstance(tau, int | float) else None,
                     started_from=str(start.get("name") or ""),
                     start_data=_describe_data(start["data"]) if start.get("data") else "",
                     same_as_start=bool(start) and weights.get("same_as_start") is True,
                     weights=stored_precision(path))


def device_words(device: str) -> str:
    """How every line the user reads names the device a model runs on (`resolve_device`'s name, or
    a setting): "cpu" -> "CPU", "cuda:0" -> "GPU cuda:0", "mps" -> "Apple GPU (MPS)", "auto" ->
    "Automatic" (the Model panel's label); anything else as it is."""
    name = (device or "").strip()
    kind = name.split(":")[0].lower()
    if kind == "cpu":
        return "CPU"
    if kind in ("cuda", "gpu"):
        return f"GPU {name.lower().replace('gpu', 'cuda')}"
    if kind == "mps":
        return "Apple GPU (MPS)"
    return "Automatic" if kind == "auto" else name


def device_choices() -> list[tuple[str, str]]:
    """(device name for the Predictor, label) pairs: "auto" first, then what ``fosp info`` finds."""
    from fosp_core.cli.info import collect_info

    choices = [("auto", "Automatic")]
    for dev in collect_info().get("devices", []):
        if dev["type"] == "cuda":
            choices.append((f"cuda:{dev['index']}", f"CUDA {dev['index']}: {dev['name']} ({dev['memory_gib']} GiB)"))
        elif dev["type"] == "mps":
            choices.append(("mps", dev["name"]))
        else:
            choices.append(("cpu", f"CPU ({dev.get('logical_cores') or '?'} cores)"))
    return choices
