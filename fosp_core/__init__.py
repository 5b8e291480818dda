"""FoSp Studio core: model, data, metrics, training, inference, formats, annotation (no Qt)."""

__version__ = "0.1.0"
