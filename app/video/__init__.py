"""The video view: a video opened as a sequence of frames to annotate and predict (mode.VideoMode)."""
