"""A run hashes its training images on a thread beside its start (`fosp_core.train.fingerprint_job`),
not before its first iteration, and keeps the digests in its run folder: a resume reads again only the
files that changed, and records the same fingerprint as hashing every file would."""

from __future__ import annotations

import io
import os
import threading
from pathlib import Path

import pytest
import torch

from fosp_core import trained_on as trained_on_module
from fosp_core.train.fingerprint_job import DIGEST_FILE, read_digests
from fosp_core.train.state import load_state
from fosp_core.trained_on import TrainedImages, file_digest, fingerprint
from tests.unit.test_train_support import make_export, tiny_config

real_digest = file_digest


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, str]]:
    """Every file hashed: (path, the name of the thread that hashed it)."""
    seen: list[tuple[Path, str]] = []

    def counting(path):  # noqa: ANN001, ANN202
        seen.append((Path(path), threading.current_thread().name))
        return real_digest(path)

    monkeypatch.setattr(trained_on_module, "file_digest", counting)
    return seen


def _config(demo_dir: Path, tmp_path: Path):  # noqa: ANN202
    export = make_export(demo_dir, tmp_path / "my-export")  # 3 train, 1 val
    data = {"root": str(tmp_path), "train": [{"path": export.name, "split": "train"}], "val": []}
    return tiny_config(demo_dir, tmp_path / "runs", data=data,
                       train={"iterations": 4, "save_every": 2}), export


def _train_images(export: Path) -> list[Path]:
    ids = (export / "ImageSets" / "Segmentation" / "train.txt").read_text().split()
    return [next((export / "JPEGImages").glob(f"{i}.*")) for i in ids]


def _recorded(cfg) -> TrainedImages:  # noqa: ANN001
    return TrainedImages.from_metadata(load_state(cfg.run_dir() / "last.pt")["trained_on"])


def test_the_start_does_not_hash_and_a_resume_hashes_only_changed_files(
        demo_dir: Path, tmp_path: Path, hashed: list[tuple[Path, str]]) -> None:
    from fosp_core.train.loop import Trainer

    cfg, export = _config(demo_dir, tmp_path)
    train = _train_images(export)
    Trainer(cfg, stream=io.StringIO()).run(stop_at=2)
    assert sorted(p for p, _ in hashed) == sorted(train)
    assert {name for _, name in hashed} == {"fosp-fingerprint"}  # never the thread that trains
    first = _recorded(cfg)
    assert first == fingerprint(train)  # what hashing every file on the spot records
    kept = read_digests(cfg.run_dir() / DIGEST_FILE)
    assert [(Path(p), d) for p, _s, _m, d in kept] == sorted((p.resolve(), real_digest(p)) for p in train)

    hashed.clear()  # a resume with nothing changed reads no image again
    Trainer(cfg, resume=True, stream=io.StringIO()).run(stop_at=3)
    assert hashed == []
    assert _recorded(cfg) == first

    changed = train[1]  # a training photo edited between the parts: read again, a new digest
    changed.write_bytes(changed.read_bytes() + b"\0")
    hashed.clear()
    Trainer(cfg, resume=True, stream=io.StringIO()).run()
    assert [p for p, _ in hashed] == [changed]
    assert _recorded(cfg).hashes == first.hashes | {real_digest(changed)}
    assert _recorded(cfg).hashes == fingerprint(train).hashes | first.hashes  # the same as hashing every file


def test_a_kept_digest_is_not_used_once_its_file_changed(tmp_path: Path) -> None:
    """A digest kept for a file whose size or modification time changed since is not used."""
    image = tmp_path / "a.jpg"
    image.write_bytes(b"one")
    st = image.stat()
    cache = trained_on_module.DigestCache([(str(image.resolve()), st.st_size, st.st_mtime_ns, "0" * 16)])
    assert cache.digest(image) == "0" * 16 and cache.reads == 0  # trusted while size and time match
    image.write_bytes(b"other")
    settled = image.stat().st_mtime_ns - 2 * trained_on_module.RACY_NS  # (one written just now is not kept)
    os.utime(image, ns=(settled, settled))
    assert cache.digest(image) == real_digest(image) and cache.reads == 1
    assert [row[3] for row in cache.entries()] == [real_digest(image)]  # what a digest file keeps: the new one


def test_an_unreadable_digest_file_means_hashing_again(tmp_path: Path) -> None:
    (tmp_path / DIGEST_FILE).write_text("{not json")
    assert read_digests(tmp_path / DIGEST_FILE) == []
