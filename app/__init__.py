"""FoSp Studio desktop app (Qt only; the science lives in fosp_core)."""
