"""The analysis view (Qt): model panel, layer list, compare grid, inference worker, controller."""
