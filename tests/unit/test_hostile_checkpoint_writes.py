"""A full or failing disk while a checkpoint is written: safetensors' writer (Rust) reports it as a
`SafetensorError` ("Error while serializing: I/O error: No space left on device (os error 28)"), not as
an OSError, so every caller that handles a full disk (`save_weights` -> `CheckpointSaveError`, the
training run, `fosp train-export`) let it through as a raw error. `save_checkpoint` now raises an
OSError with the errno and the path; the previous file survives and no temporary file is left."""

from __future__ import annotations

import errno
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from safetensors import SafetensorError

import fosp_core.checkpoint as checkpoint_module
from fosp_core.checkpoint import save_checkpoint
from fosp_core.model import build_model

_OS_ERROR_28 = "Error while serializing: I/O error: No space left on device (os error 28)"


@pytest.fixture(scope="module")
def model():  # noqa: ANN201
    return build_model("fosp-s").eval()


def _full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """safetensors' save_file fails as it does on a full disk, after writing part of the file."""
    def save_file(tensors: dict, filename: str, metadata: dict | None = None) -> None:
        Path(filename).write_bytes(b"partial")
        raise SafetensorError(_OS_ERROR_28)
    monkeypatch.setattr(checkpoint_module, "save_file", save_file)


def test_a_full_disk_while_saving_a_checkpoint_is_an_oserror_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, model: object
) -> None:
    path = tmp_path / "best.safetensors"
    path.write_bytes(b"OLD")
    _full_disk(monkeypatch)

    with pytest.raises(OSError) as caught:
        save_checkpoint(model, path)

    assert caught.value.errno == errno.ENOSPC
    assert str(path) in str(caught.value) and "No space left on device" in str(caught.value)
    assert path.read_bytes() == b"OLD"
    assert [p.name for p in tmp_path.iterdir()] == ["best.safetensors"]  # no temporary file left


def test_save_weights_on_a_full_disk_is_a_checkpoint_save_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, model: object
) -> None:
    from fosp_core.train.model_io import save_weights
    from fosp_core.train.state import CheckpointSaveError

    path = tmp_path / "run" / "best.safetensors"
    _full_disk(monkeypatch)

    with pytest.raises(CheckpointSaveError) as caught:
        save_weights(model, path)

    assert str(caught.value) == f"could not save {path}: no space left on device; no earlier file existed"
    assert list((tmp_path / "run").iterdir()) == []


def test_a_real_write_limit_while_saving_a_checkpoint_is_an_oserror(tmp_path: Path) -> None:
    # the real writer, stopped by a file size limit of 1 MB (EFBIG: the same I/O error path as ENOSPC)
    path = tmp_path / "best.safetensors"
    path.write_bytes(b"OLD")
    script = textwrap.dedent(f"""
        import resource, signal, sys
        from fosp_core.checkpoint import save_checkpoint
        from fosp_core.model import build_model
        model = build_model("fosp-s")
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
        try:
            save_checkpoint(model, {str(path)!r})
        except OSError as exc:
            print("OSError", exc.errno, exc)
        except Exception as exc:
            print("other", type(exc).__name__, exc)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)

    assert done.stdout.startswith(f"OSError {errno.EFBIG} "), done.stdout + done.stderr
    assert str(path) in done.stdout
    assert path.read_bytes() == b"OLD"
    assert [p.name for p in tmp_path.iterdir()] == ["best.safetensors"]
