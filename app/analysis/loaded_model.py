"""What a model load on the inference thread answers (`app.analysis.inference_worker`): the loaded
model's description (`LoadedModel`: its id, the device and precision it runs at, the network input, the
checkpoint's digests) and the words of a load or a prediction that failed (`describe_error`,
`load_error_text`). Apart from the worker because none of it is Qt or the thread: values and words the
analysis and annotation views take from it too. Code moved from `app.analysis.inference_worker`
unchanged; that module re-exports the public names.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.analysis.load_words import load_failure_text
from fosp_core.analysis.settings import ModelInfo
from fosp_core.annotation.prelabel import checkpoint_digest, predictor_run
from fosp_core.checkpoint_files import CheckpointError
from fosp_core.infer.device_errors import explain

__all__ = ["LoadedModel", "describe_error", "id_input", "load_error_text", "network_input"]


def load_error_text(path: Path, reason: str) -> str:
    """'cannot load <name> from <folder>: <reason>.'; a reason (a CheckpointError) that starts with
    the whole path loses it, so the name is said once; one without a full stop gets one (the view adds a
    sentence after it: which model stays in use)."""
    if reason.startswith(f"{path}: "):
        reason = reason[len(f"{path}: "):]
    end = "" if reason.rstrip().endswith((".", "!", "?")) else "."
    return f"cannot load {path.name} from {path.parent}: {reason.rstrip()}{end}"


def _load_failure(path: Path, exc: BaseException) -> str:
    """What the app says of a checkpoint it could not load: a plain headline, the reason as details
    for a checkpoint of the wrong kind (:mod:`app.analysis.load_words`); 'cannot load …' for the rest
    (out of memory, a device error)."""
    if not isinstance(exc, CheckpointError):
        return load_error_text(path, describe_error(exc))
    reason = describe_error(exc)
    return load_failure_text(path, exc, reason if reason.startswith(str(path)) else f"{path}: {reason}")


def _digest(path: Path) -> str | None:
    """The checkpoint's digest (on the worker thread), None when it cannot be read."""
    try:
        return checkpoint_digest(path)
    except OSError:
        return None


@dataclass(frozen=True)
class LoadedModel:
    """A model the engine has loaded: its id (`app.analysis.model_ids`: its weights, device, precision and input), the
    description of the checkpoint, the device it actually runs on and the checkpoint file's `digest`
    (`fosp_core.annotation.prelabel.checkpoint_digest`, read on the worker thread as it loaded: the GUI
    thread stamps model summaries with it and never hashes the file; None when it could not be read), the
    `precision` it computes in ("fp32", "bf16", "fp16") and its `network_input` (`network_input`: "512",
    "tiled 512/128"): with the device, what a kept score's run is (`app.annotation.kept_scores.run_key`).
    A run folder asked for loads its weights: `checkpoint` is that file, `note` says so."""

    model_id: str
    info: ModelInfo
    device: str
    digest: str | None = None
    precision: str = ""
    network_input: str = ""
    checkpoint: Path | None = None  # the file loaded: a run folder's weights (`resolve_checkpoint`)
    note: str = ""  # what a folder given meant, as the CLI says it ("… is a run folder: using its best…")
    weights: str = ""  # the digest of its weights (`weights_digest`, read as it loaded; "": not known)


def network_input(predictor: object) -> str:
    """The network input `predictor` runs at: "<long side>" (letterboxed) or "tiled <tile>/<overlap>"; ""
    when it does not say (a stand-in). One rule with a pre-label's stamp (`prelabel.predictor_run`)."""
    return predictor_run(predictor)[1]


def id_input(choice: str, predictor: object) -> str:
    """The input part of a loaded model's id (`fosp_core.analysis.results.model_id`): what the network
    runs at (`network_input`: the default choice at this worker's default size, "512", not "default",
    whose results at another default size are another model's), or the choice where the predictor
    does not say."""
    return network_input(predictor) or choice


def describe_error(exc: BaseException) -> str:
    """A one-line, user-facing account of an inference error (out of memory on the CPU or the GPU, a GPU
    that stopped working: each with the way on)."""
    return explain(exc)
