"""Qt-free state of the analysis view: layer stack, model settings, result cache, error maps.

The app's ``app/analysis`` widgets bind to these plain models; tests drive them without a screen.
"""

from fosp_core.analysis.layers import Layer, LayerStack, default_layers, layer_arrays
from fosp_core.analysis.results import ResultCache, ResultKey, Scores, error_map, find_label, tau_contour
from fosp_core.analysis.settings import AnalysisSettings, ModelInfo, device_choices, read_model_info

__all__ = [
    "AnalysisSettings",
    "Layer",
    "LayerStack",
    "ModelInfo",
    "ResultCache",
    "ResultKey",
    "Scores",
    "default_layers",
    "device_choices",
    "error_map",
    "find_label",
    "layer_arrays",
    "read_model_info",
    "tau_contour",
]
