"""`fosp info`: versions, compute devices and where models are looked for."""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import sys
from typing import Any

from fosp_core import __version__, paths
from fosp_core.cli import ExitCode


@functools.cache
def package_version(dist: str) -> str | None:
    """The installed version of distribution `dist`, or None. Read from package metadata once per
    process (each read scans sys.path, 0.5-1 ms: the app asks for 8 on every window it builds)."""
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def collect_info() -> dict[str, Any]:
    """Versions of the stack and the compute devices this process can use (no Qt import here:
    the Qt version is read from package metadata so fosp_core stays Qt-free)."""
    info: dict[str, Any] = {
        "fosp_studio": __version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "packages": {
            name: package_version(name)
            for name in (
                "torch", "numpy", "opencv-python-headless", "PySide6-Essentials", "pyqtgraph",
                "qtawesome", "safetensors", "pillow",
            )
        },
    }
    devices: list[dict[str, Any]] = []
    try:
        import torch

        from fosp_core.infer.devices import cpu_has_fast_bf16

        info["torch_build"] = {"cuda": torch.version.cuda, "debug": torch.version.debug}
        if torch.cuda.is_available():
            for i in range(torch.cuda.device_count()):
                props = torch.cuda.get_device_properties(i)
                devices.append({
                    "type": "cuda", "index": i, "name": props.name,
                    "memory_gib": round(props.total_memory / 2**30, 1),
                    "capability": f"{props.major}.{props.minor}",
                    "bf16": bool(torch.cuda.is_bf16_supported()),
                })
        mps = getattr(torch.backends, "mps", None)
        if mps is not None and mps.is_available():
            devices.append({"type": "mps", "name": "Apple Metal (MPS)"})
        devices.append({
            "type": "cpu", "name": platform.processor() or platform.machine(),
            "threads": torch.get_num_threads(), "logical_cores": os.cpu_count(),
            "bf16": cpu_has_fast_bf16(),
        })
    except ImportError as exc:
        info["torch_error"] = str(exc)
    info["devices"] = devices
    info["model_search_path"] = [str(p) for p in paths.model_search_path()]
    default = paths.find_model()
    info["default_model"] = str(default) if default else None
    return info


def _print_human(info: dict[str, Any]) -> None:
    print(f"FoSp Studio {info['fosp_studio']}  (Python {info['python']}, {info['platform']})")
    print("packages:")
    for name, ver in info["packages"].items():
        print(f"  {name:24s} {ver or 'not installed'}")
    if "torch_build" in info:
        print(f"  torch CUDA build: {info['torch_build']['cuda'] or 'none (CPU build)'}")
    print("compute devices:")
    for d in info["devices"]:
        if d["type"] == "cuda":
            print(f"  cuda:{d['index']}  {d['name']}  {d['memory_gib']} GiB  sm_{d['capability']}"
                  f"  bf16={'yes' if d['bf16'] else 'no'}")
        elif d["type"] == "mps":
            print(f"  mps     {d['name']}")
        else:
            bf16 = "native (AMX): training uses it" if d.get("bf16") else "emulated: training uses fp32"
            print(f"  cpu     {d['name']}  torch threads {d['threads']}, logical cores {d['logical_cores']}"
                  f"  bf16={bf16}")
    if not info["devices"]:
        print(f"  (torch unavailable: {info.get('torch_error')})")
    print("models are looked for in (first match wins):")
    for p in info["model_search_path"]:
        print(f"  {p}")
    print(f"default model: {info['default_model'] or 'not found'}")


def run(args: argparse.Namespace) -> int:
    info = collect_info()
    if args.json:
        print(json.dumps(info, indent=2))
    else:
        _print_human(info)
    return ExitCode.OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("info", help="versions, compute devices and model search path")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(func=run)
