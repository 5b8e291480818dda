"""Model code runs on GPUs: a tensor made inside a forward pass must be made on the input's device.

The CPU test machines cannot catch a forward pass that builds an index on the CPU and uses it on
CUDA tensors (the Domain Fusion's tiled last stage did, and every evaluation on a GPU failed), so
this check reads the model sources: outside `__init__`, each torch tensor factory names a device.
"""

from __future__ import annotations

import ast
from pathlib import Path

FACTORIES = {"arange", "zeros", "ones", "empty", "full", "linspace", "rand", "randn", "randint", "eye", "tensor"}
MODEL_DIRS = ["fosp_core/model", "fosp_core/infer"]
ROOT = Path(__file__).resolve().parents[2]


def factory_calls_without_device(source: str) -> list[int]:
    """Line numbers of `torch.<factory>(...)` calls with no `device=` outside `__init__` methods."""
    tree = ast.parse(source)
    in_init: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "__init__":
            in_init.update(id(n) for n in ast.walk(node))
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or id(node) in in_init:
            continue
        func = node.func
        if (isinstance(func, ast.Attribute) and func.attr in FACTORIES and isinstance(func.value, ast.Name)
                and func.value.id == "torch" and not any(k.arg == "device" for k in node.keywords)):
            lines.append(node.lineno)
    return lines


def test_the_check_finds_a_cpu_index_in_a_forward_pass() -> None:
    bad = "import torch\nclass M:\n    def forward(self, x):\n        i = torch.arange(3)\n        return x[i]\n"
    good = bad.replace("torch.arange(3)", "torch.arange(3, device=x.device)")
    assert factory_calls_without_device(bad) == [4]
    assert factory_calls_without_device(good) == []


def test_model_forward_code_makes_tensors_on_the_inputs_device() -> None:
    found = []
    for folder in MODEL_DIRS:
        for path in sorted((ROOT / folder).glob("*.py")):
            found += [f"{path.relative_to(ROOT)}:{line}" for line in factory_calls_without_device(path.read_text())]
    assert not found, f"tensor factories without device= (they land on the CPU under CUDA input): {found}"
