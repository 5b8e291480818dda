"""The scene-held-out SMOKE5K split: no scene, fire or near-identical view straddles it."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.data.splits import (
    BUFFER_LINK,
    SYNTHETIC_NAME,
    fire_key,
    hold_out_scenes,
    read_scene_map,
    read_split_file,
    smoke5k_scene_split,
    view_signatures,
)


def test_fire_key_rules() -> None:
    assert fire_key("1528757586_+00180") == "fire:1528757406"
    assert fire_key("1528757766_+00360") == "fire:1528757406"  # same fire, later frame
    assert fire_key("20180614_Hope_wc-e-mobo-c__1529001380_+00420") == "fire:1529000960"
    assert fire_key("12_345") is None  # synthetic SYN70K name
    assert fire_key("ckb3zxurimk") is None


def _scene(seed: int, h: int = 120, w: int = 160) -> np.ndarray:
    """A random 'camera view': smooth terrain line and blobs, RGB uint8."""
    rng = np.random.default_rng(seed)
    img = np.zeros((h, w, 3), np.uint8)
    img[:] = rng.integers(60, 200, 3)
    horizon = (h // 2 + 20 * np.sin(np.linspace(0, rng.uniform(2, 9), w) + rng.uniform(0, 6))).astype(int)
    for x in range(w):
        img[horizon[x]:, x] = rng.integers(0, 80, 3)
    for _ in range(6):
        c = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        cv2.circle(img, c, int(rng.integers(4, 15)), tuple(int(v) for v in rng.integers(0, 255, 3)), -1)
    return img


def _make_smoke5k(root: Path) -> dict[str, int]:
    """Ten views, three near-identical frames each (noise + small shift), random-looking names;
    plus a FIgLib fire with two frames that look different, and synthetic names."""
    (root / "img").mkdir(parents=True)
    (root / "gt").mkdir()
    view_of: dict[str, int] = {}
    rng = np.random.default_rng(0)
    for v in range(10):
        base = _scene(v)
        for k in range(3):
            frame = np.roll(base, k, axis=1).astype(np.int16) + rng.integers(-6, 7, base.shape)
            name = f"ck{v:02d}x{k}"
            cv2.imwrite(str(root / "img" / f"{name}.jpg"), np.clip(frame, 0, 255).astype(np.uint8))
            view_of[name] = v
    for i, (name, seed) in enumerate([("1528757586_+00180", 100), ("1528757766_+00360", 101)]):
        cv2.imwrite(str(root / "img" / f"{name}.jpg"), _scene(seed))
        view_of[name] = 100 + i
    for name in ("1_1", "1_2"):
        cv2.imwrite(str(root / "img" / f"{name}.jpg"), _scene(7))
    return view_of


def test_scene_split_never_straddles(tmp_path: Path) -> None:
    view_of = _make_smoke5k(tmp_path)
    split = smoke5k_scene_split(tmp_path, val_fraction=0.3, seed=1)
    assert split.synthetic == ["1_1", "1_2"]
    assert set(split.train) | set(split.val) | set(split.buffer) == set(view_of)
    assert split.val and split.train
    val_views = {view_of[n] for n in split.val}
    train_views = {view_of[n] for n in split.train}
    assert not val_views & train_views
    # the fire's two frames look different but share the fire: same side
    fire = {"1528757586_+00180", "1528757766_+00360"}
    assert fire <= set(split.val) or not fire & set(split.val)


def test_forced_fire_goes_to_val(tmp_path: Path) -> None:
    _make_smoke5k(tmp_path)
    split = smoke5k_scene_split(tmp_path, val_fraction=0.05, seed=3,
                                force_val_fires=["20180607_X_cam__1528757706_+00300"])
    assert {"1528757586_+00180", "1528757766_+00360"} <= set(split.val)


def test_committed_split_is_clean(shared_data: Path) -> None:
    """The committed lists cover SMOKE5K's real images once, and no validation view has a
    near-identical training view."""
    root = shared_data / "smoke5k-train"
    train, val, buf = (read_split_file(r) for r in ("train", "val", "buffer"))
    assert not (set(train) & set(val)) and not (set(buf) & (set(train) | set(val)))
    assert len(val) >= 100
    assert not any(SYNTHETIC_NAME.match(n) for n in val)  # synthetic images never validate
    edge_v, _ = view_signatures([root / "img" / f"{n}.jpg" for n in val])
    edge_t, _ = view_signatures([root / "img" / f"{n}.jpg" for n in train])
    corr = edge_v @ edge_t.T / edge_v.shape[1]
    assert corr.max() <= BUFFER_LINK
    assert {fire_key(n) for n in val if fire_key(n)}.isdisjoint({fire_key(n) for n in train})


@pytest.mark.slow
def test_committed_split_reproduces(shared_data: Path) -> None:
    sv = (shared_data / "smokeseg-samples/ImageSets/Segmentation/val.txt").read_text().split()
    split = smoke5k_scene_split(shared_data / "smoke5k-train", 0.15, 0, force_val_fires=sv)
    assert sorted(split.val) == read_split_file("val")
    assert sorted(split.train) == read_split_file("train")
    assert {n: min(m for m in split.val if split.scene_of[m] == split.scene_of[n]) for n in split.val} \
        == read_scene_map()


def test_committed_scene_map_covers_the_validation_split() -> None:
    """Every validation image has a scene; frames of one fire share it (per-scene false-alarm scores)."""
    scene_of = read_scene_map()
    val = read_split_file("val")
    assert sorted(scene_of) == val
    assert 1 < len(set(scene_of.values())) < len(val)
    by_fire: dict[str, set[str]] = {}
    for name, scene in scene_of.items():
        if fire_key(name):
            by_fire.setdefault(fire_key(name), set()).add(scene)  # type: ignore[arg-type]
    assert by_fire and all(len(scenes) == 1 for scenes in by_fire.values())


def test_hold_out_scenes_keeps_scenes_whole(tmp_path: Path) -> None:
    """A pick pool of training scenes (stage 32): whole scenes, a fraction of the names, and no kept
    view that looks like a held-out one."""
    view_of = _make_smoke5k(tmp_path)
    split = smoke5k_scene_split(tmp_path, val_fraction=0.2, seed=1)
    names = sorted(split.train)
    edge, _ = view_signatures([tmp_path / "img" / f"{n}.jpg" for n in names])
    kept, held, buffer = hold_out_scenes(names, split.scene_of, edge, 0.3, seed=2)
    assert held and kept
    assert sorted(kept + held + buffer) == names
    assert len(held) >= 0.3 * len(names)
    assert {view_of[n] for n in held}.isdisjoint(view_of[n] for n in kept)
    assert {split.scene_of[n] for n in held}.isdisjoint(split.scene_of[n] for n in kept + buffer)
    assert hold_out_scenes(names, split.scene_of, edge, 0.3, seed=2) == (kept, held, buffer)
    with pytest.raises(ValueError, match="signatures"):
        hold_out_scenes(names, split.scene_of, edge[:-1], 0.3, seed=2)


def test_committed_pick_pool_is_inside_scene_train() -> None:
    """The stage-32 lists: pick and fit are disjoint parts of scene-train, whole fires on one side."""
    train, pick, fit = (set(read_split_file(r)) for r in ("train", "pick", "fit"))
    assert pick and fit and pick <= train and fit <= train and not pick & fit
    assert {fire_key(n) for n in pick if fire_key(n)}.isdisjoint({fire_key(n) for n in fit})
