"""Datasets, augmentation and synthetic early smoke."""
