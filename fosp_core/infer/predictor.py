"""`Predictor`: numpy in, typed numpy out, under torch.inference_mode().

    predictor = Predictor(fosp_core.default_checkpoint(), device="auto", precision="fp32")  # or a file of yours
    pred = predictor.predict(rgb)            # rgb: RGB uint8 (H, W, 3), a PIL image or a path
    mask = pred.mask(0.3)                    # threshold: numpy only, no network call
    pred = predictor.set_tau(0.25)           # tau: re-runs only separation + fusion (cached encodings)

The predictor is stateful (device, tau, cached encodings of the last image); calls from several threads
are serialised by a lock (one at a time, each with its own tau), so for parallel throughput give each
worker thread its own predictor. On CUDA/MPS an out-of-memory error halves the batch and retries; at batch 1
it moves the model to the CPU with a :class:`DeviceFallbackWarning` and carries on.
"""

from __future__ import annotations

import hashlib
import threading
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from fosp_core.infer import device_errors, devices
from fosp_core.infer.assemble import Assembler, Plan
from fosp_core.infer.inputs import ImageInput, input_rgb
from fosp_core.infer.inputs import check_image as check_image  # its old home, still imported from here
from fosp_core.infer.result import Prediction, normalize_needs
from fosp_core.infer.runner import ModelRunner
from fosp_core.infer.tiling import check_size, crop_tile, letterbox_geometry, letterbox_image, tile_grid


class DeviceFallbackWarning(RuntimeWarning):
    """Out of memory on the GPU: the batch was reduced or the model moved to the CPU."""


class InferenceError(RuntimeError):
    """Inference failed for a reason the predictor cannot recover from (e.g. out of memory on the CPU)."""


@dataclass
class _Cache:
    key: str
    plan: Plan
    canvases: list[np.ndarray]
    chunks: list[tuple[int, int, Any]]  # (first canvas, count, encoder state on the device)


def _state_bytes(obj: Any) -> int:
    if isinstance(obj, torch.Tensor):
        return obj.numel() * obj.element_size()
    if isinstance(obj, dict):
        return sum(_state_bytes(v) for v in obj.values())
    if isinstance(obj, list | tuple):
        return sum(_state_bytes(v) for v in obj)
    if hasattr(obj, "__dict__"):
        return sum(_state_bytes(v) for v in vars(obj).values())
    return 0


def _one_array_image(images: object) -> bool:
    """Whether an array given to predict_batch is one image rather than a batch: (H, W), or 3-D with
    a channel axis last (1, 3 or 4); a 3-D array with another last axis is an (N, H, W) gray stack."""
    if not isinstance(images, np.ndarray):
        return False
    return images.ndim < 3 or (images.ndim == 3 and images.shape[2] in (1, 3, 4))


class Predictor:
    """Runs a FoSp (or SegFormer) model on RGB uint8 images; see the module docstring.

    Args:
        model: an nn.Module (e.g. from build_model) or a checkpoint path (safetensors).
        device: "auto" (CUDA, then MPS, then CPU), "cpu", "cuda", "cuda:N", "mps" or a torch.device.
        precision: "fp32", "bf16" or "fp16" (autocast; see devices.supported_precisions).
        input_size: long side of the network input for the letterbox policy (multiple of 32; 512 like
            the authors); the other side follows the image's aspect, unpadded.
        tiled: cut images at native resolution into overlapping tiles instead of resizing them.
        tile, overlap: tile size (multiple of 32) and minimum overlap between neighbouring tiles.
        batch_size: canvases (images or tiles) per forward pass; None = 4 on CUDA/MPS, 1 on the CPU
            (batching brings no throughput on a CPU, only memory; see docs/benchmarks-infer.md).
        tau: Focus threshold for the separation module (None = the model's default, 0.15).
        channels_last: None = automatic (CUDA only).
        cache_limit_mb: encodings of the last image are kept for set_tau() up to this size.
    """

    def __init__(
        self,
        model: nn.Module | str | Path,
        *,
        device: str | torch.device = "auto",
        precision: str = "fp32",
        input_size: int = 512,
        tiled: bool = False,
        tile: int = 512,
        overlap: int = 128,
        batch_size: int | None = None,
        tau: float | None = None,
        channels_last: bool | None = None,
        cache_limit_mb: float = 1024.0,
    ) -> None:
        self.device = devices.resolve_device(device)
        self.precision = precision
        self.autocast_dtype = devices.resolve_precision(precision, self.device)
        self.input_size = check_size(input_size, "input_size")
        self.tile = check_size(tile, "tile")
        if not 0 <= overlap < self.tile:
            raise ValueError(f"overlap must be in [0, tile), got {overlap}")
        self.overlap = int(overlap)
        self.tiled = bool(tiled)
        if batch_size is None:
            batch_size = 4 if devices.is_accelerator(self.device) else 1
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        self.batch_size = int(batch_size)
        self.cache_limit_bytes = int(cache_limit_mb * 2**20)
        if isinstance(model, str | Path):
            from fosp_core.checkpoint import load_checkpoint

            model = load_checkpoint(model, device="cpu")
        self.model: nn.Module = model.eval()
        self.runner = ModelRunner(self.model)
        self.channels_last = devices.use_channels_last(self.device) if channels_last is None else channels_last
        self._place_model()
        self._tau = tau
        self._cache: _Cache | None = None
        self.fallbacks: list[str] = []
        #: tiled only: called with (tiles done, tiles in the call) after each forward pass of a call
        #: with several tiles; it may raise (KeyboardInterrupt) to stop between tiles.
        self.tile_progress: Callable[[int, int], None] | None = None
        self._lock = threading.RLock()  # one call at a time: tau, cache and device are shared state

    def __repr__(self) -> str:
        tiling = f"tiled=True, tile={self.tile}, overlap={self.overlap}" if self.tiled else f"input_size={self.input_size}"
        return (f"Predictor({type(self.model).__name__}, device='{self.device}', precision='{self.precision}', "
                f"{tiling}, batch_size={self.batch_size}, tau={self.tau})")

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (a DataLoader worker, multiprocessing): the model and settings; not the lock,
        the cached encodings or the tile_progress callback."""
        state = dict(self.__dict__)
        state.update(_lock=None, _cache=None, tile_progress=None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.RLock()

    # ------------------------------------------------------------------ configuration
    @property
    def tau(self) -> float | None:
        """Current Focus threshold (None for models without separation)."""
        if not self.runner.has_separation:
            return None
        return self._tau if self._tau is not None else self.runner.default_tau

    def _place_model(self) -> None:
        fmt = torch.channels_last if self.channels_last else torch.contiguous_format
        self.model.to(device=self.device, memory_format=fmt)

    def clear_cache(self) -> None:
        """Forget the cached encodings of the last image."""
        self._cache = None

    # ------------------------------------------------------------------ public API
    def predict(self, rgb: ImageInput, tau: float | None = None, need: Any = None) -> Prediction:
        """One image. rgb: RGB uint8 (H, W, 3) (or (H, W) gray), a PIL image or a file path
        (`fosp_core.infer.inputs`; other arrays: ValueError saying how to convert them).
        Returns a Prediction whose maps are at the image's (H, W).

        need: which optional maps to compute ("focus", "hole", "background", "foreground", "side",
        "all"; default focus + hole). The encodings are cached: calling again with the same image and
        another tau, or set_tau(), runs only the tau-dependent part of the network. A tau given here
        becomes the predictor's tau for later calls.
        """
        rgb = input_rgb(rgb)
        needs = normalize_needs(need)
        with self._lock:
            return self._predict(rgb, tau, needs)

    def _predict(self, rgb: np.ndarray, tau: float | None, needs: frozenset[str]) -> Prediction:
        if tau is not None:
            self._tau = float(tau)
        key = self._key(rgb)
        cache = self._cache
        if cache is not None and cache.key == key:
            return self._redecode(cache, needs)
        self._cache = None
        plan, canvases = self._prepare(rgb)
        asm = Assembler(plan)
        fallbacks = len(self.fallbacks)
        chunks = self._process(canvases, needs, lambda k, maps: asm.add(k, maps), keep_state=True)
        pred = asm.finish(self.tau)
        if len(self.fallbacks) == fallbacks and sum(_state_bytes(c[2]) for c in chunks) <= self.cache_limit_bytes:
            self._cache = _Cache(key, plan, canvases, chunks)
        return pred

    def set_tau(self, tau: float, need: Any = None) -> Prediction:
        """Re-run the last image with a new tau, reusing its cached backbone and Focus encodings."""
        needs = normalize_needs(need)
        with self._lock:
            if self._cache is None:
                raise RuntimeError("set_tau() needs a previous predict() (or its encodings were too large to cache)")
            self._tau = float(tau)
            return self._redecode(self._cache, needs)

    def predict_batch(self, images: Sequence[ImageInput], tau: float | None = None,
                      need: Any = None) -> list[Prediction]:
        """Several images (any sizes; each as `predict` takes it, an (N, H, W, 3) array or an (N, H, W)
        grayscale stack) in batches of `batch_size` canvases, one Prediction each, in order; nothing is
        cached. One image given as a batch (a path, a PIL image, (H, W), or (H, W, C) with C in 1, 3, 4)
        raises ValueError."""
        if isinstance(images, str | Path) or hasattr(images, "getpixel") or _one_array_image(images):
            raise ValueError(f"predict_batch takes a sequence of images, got one image ({type(images).__name__}): "
                             f"use predict() or predict_batch([image])")
        needs = normalize_needs(need)
        with self._lock:
            return self._predict_batch(images, tau, needs)

    def _predict_batch(self, images: Sequence[np.ndarray], tau: float | None,
                       needs: frozenset[str]) -> list[Prediction]:
        if tau is not None:
            self._tau = float(tau)
        plans: list[Plan] = []
        canvases: list[np.ndarray] = []
        owner: list[tuple[int, int]] = []  # canvas -> (image, canvas index within the image)
        for i, rgb in enumerate(images):
            plan, cv = self._prepare(input_rgb(rgb))
            plans.append(plan)
            canvases.extend(cv)
            owner.extend((i, k) for k in range(len(cv)))
        assemblers = [Assembler(p) for p in plans]
        results: list[Prediction | None] = [None] * len(plans)

        def consume(c: int, maps: dict[str, torch.Tensor]) -> None:
            i, k = owner[c]
            assemblers[i].add(k, maps)
            if assemblers[i].complete:
                results[i] = assemblers[i].finish(self.tau)

        self._process(canvases, needs, consume, keep_state=False)
        return [r for r in results if r is not None]

    def warmup(self, batch_size: int = 1) -> None:
        """One throw-away forward pass at the working size (lets CUDA pick kernels, allocate pools)."""
        size = self.tile if self.tiled else self.input_size
        dummy = [np.zeros((size, size, 3), np.uint8)] * batch_size
        with self._lock:
            self._process(dummy, normalize_needs(None), lambda k, maps: None, keep_state=False)
            if self.device.type == "cuda":
                torch.cuda.synchronize(self.device)

    # ------------------------------------------------------------------ internals
    def _key(self, rgb: np.ndarray) -> str:
        h = hashlib.blake2b(digest_size=16)
        h.update(repr((rgb.shape, self.tiled, self.input_size, self.tile, self.overlap)).encode())
        h.update(memoryview(np.ascontiguousarray(rgb)).cast("B"))
        return h.hexdigest()

    def _prepare(self, rgb: np.ndarray) -> tuple[Plan, list[np.ndarray]]:
        h, w = rgb.shape[:2]
        if self.tiled:
            tiles = tile_grid(h, w, self.tile, self.overlap)
            return Plan(h, w, tiles=tiles), [crop_tile(rgb, t) for t in tiles]
        geom = letterbox_geometry(h, w, self.input_size)
        return Plan(h, w, letterbox=geom), [letterbox_image(rgb, geom)]

    def _tensor(self, canvases: Sequence[np.ndarray]) -> torch.Tensor:
        batch = torch.from_numpy(np.stack(canvases)).to(self.device, non_blocking=True)
        x = batch.permute(0, 3, 1, 2).float()
        fmt = torch.channels_last if self.channels_last else torch.contiguous_format
        return x.contiguous(memory_format=fmt)

    def _forward(self, x: torch.Tensor, needs: frozenset[str], state: Any = None) -> tuple[Any, dict]:
        with torch.inference_mode(), devices.autocast(self.device, self.autocast_dtype):
            if state is None:
                state = self.runner.encode(x)
            maps = self.runner.decode(x, state, self.tau, needs)
            maps = {k: v.float() for k, v in maps.items()}
        return state, maps

    def _process(self, canvases: Sequence[np.ndarray], needs: frozenset[str],
                 consume: Callable[[int, dict[str, torch.Tensor]], None],
                 keep_state: bool) -> list[tuple[int, int, Any]]:
        """Run every canvas through encode+decode in chunks, handing each canvas's maps to consume().
        Out of memory halves the chunk; at 1 on an accelerator the model moves to the CPU."""
        chunks: list[tuple[int, int, Any]] = []
        i = 0
        while i < len(canvases):
            n = 1  # a batch holds canvases of one shape (letterboxes of other aspect ratios differ)
            while n < min(self.batch_size, len(canvases) - i) and canvases[i + n].shape == canvases[i].shape:
                n += 1
            try:
                x = self._tensor(canvases[i: i + n])
                state, maps = self._forward(x, needs)
            except (RuntimeError, MemoryError) as exc:
                if not device_errors.is_out_of_memory(exc):
                    self._raise_device_failure(exc)
                    raise
                self._recover_from_oom(exc, n)
                continue
            if keep_state:
                chunks.append((i, n, state))
            for j in range(n):
                consume(i + j, {k: v[j] for k, v in maps.items()})
            del x, maps
            i += n
            if self.tiled and self.tile_progress is not None and len(canvases) > 1:
                self.tile_progress(i, len(canvases))
        return chunks

    def _redecode(self, cache: _Cache, needs: frozenset[str]) -> Prediction:
        asm = Assembler(cache.plan)
        try:
            for first, n, state in cache.chunks:
                x = self._tensor(cache.canvases[first: first + n])
                _, maps = self._forward(x, needs, state=state)
                for j in range(n):
                    asm.add(first + j, {k: v[j] for k, v in maps.items()})
        except (RuntimeError, MemoryError) as exc:
            if not device_errors.is_out_of_memory(exc):
                self._raise_device_failure(exc)
                raise
            # Start over without the cache: _process() knows how to shrink the batch / fall back.
            self._cache = None
            self._recover_from_oom(exc, max(n for _, n, _ in cache.chunks))
            asm = Assembler(cache.plan)
            self._process(cache.canvases, needs, lambda k, maps: asm.add(k, maps), keep_state=False)
        return asm.finish(self.tau)

    def _recover_from_oom(self, exc: BaseException, n: int) -> None:
        devices.release_memory(self.device)
        if n > 1:
            self.batch_size = max(1, n // 2)
            self._warn(f"out of memory on {self.device} with batch {n}; retrying with batch {self.batch_size}")
            return
        if devices.is_accelerator(self.device):
            self._fall_back_to_cpu()
            return
        raise InferenceError(
            f"out of memory on {self.device} even for one image at a time ({device_errors.first_line(exc)}); "
            f"close other programs, or use {'a smaller tile' if self.tiled else 'a smaller input or tiles'}"
        ) from exc

    def _raise_device_failure(self, exc: BaseException) -> None:
        """Raise DeviceFailedError when `exc` says the GPU itself failed: every later call fails too."""
        if devices.is_accelerator(self.device) and device_errors.is_device_failure(exc):
            self._cache = None
            raise device_errors.device_failed(self.device, exc) from exc

    def _fall_back_to_cpu(self) -> None:
        old = self.device
        self.device = torch.device("cpu")
        self.autocast_dtype = None
        self.precision = "fp32"
        self.channels_last = False
        self._cache = None
        self._place_model()
        devices.release_memory(old)
        self._warn(f"out of memory on {old} at batch size 1; continuing on the CPU (fp32)")

    def _warn(self, message: str) -> None:
        self.fallbacks.append(message)
        warnings.warn(message, DeviceFallbackWarning, stacklevel=3)


def probability_fn(checkpoint: str | Path | nn.Module, device: str = "auto",
                   **kwargs: Any) -> Callable[[np.ndarray], np.ndarray]:
    """A plain function RGB uint8 (H, W, 3) -> float32 smoke probability (H, W), e.g. for `fosp eval`.
    Extra keyword arguments go to Predictor (precision, input_size, tiled, ...); the function's `predictor`
    attribute is that Predictor (its `tile_progress` hook: the app's video worker stops a frame between tiles)."""
    predictor = Predictor(checkpoint, device=device, **kwargs)

    def probability(rgb: np.ndarray) -> np.ndarray:
        return predictor.predict_batch([rgb], need=())[0].probability

    probability.predictor = predictor  # type: ignore[attr-defined]
    return probability
