"""File formats: images, masks."""
