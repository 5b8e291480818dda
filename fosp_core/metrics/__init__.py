"""Smoke segmentation metrics (numpy; OpenCV only for the distance transform).

Two protocols, named in every printed table: ``smokeseg`` (paper Table 3, the authors' per-image
means) and ``sod`` (salient-object protocol of SMOKE5K / Trans-BVM, paper Table 2). See
`fosp_core.metrics.scores` for the definitions and the rules for empty labels and predictions.
"""

from fosp_core.metrics.accumulate import PROTOCOLS, SPLITS, MetricAccumulator, SplitScores
from fosp_core.metrics.buckets import (
    BUCKETS,
    DELTA_BIN_EDGES,
    MEDIUM_MAX,
    SMALL_MAX,
    size_bucket,
    smoke_ratio,
)
from fosp_core.metrics.false_alarm import (
    crop_flag_counts,
    crop_flag_rate,
    far_fp_counts,
    far_fp_rate,
    far_region,
    smoke_free_crops,
)
from fosp_core.metrics.report import format_table, protocol_description
from fosp_core.metrics.scores import (
    BETA2,
    as_probability,
    f_measure,
    labels_from_files,
    mae,
    per_image_scores,
    rates,
    scorable,
    sod_image_scores,
)

__all__ = [
    "BETA2",
    "BUCKETS",
    "DELTA_BIN_EDGES",
    "MEDIUM_MAX",
    "PROTOCOLS",
    "SMALL_MAX",
    "SPLITS",
    "MetricAccumulator",
    "SplitScores",
    "as_probability",
    "crop_flag_counts",
    "crop_flag_rate",
    "f_measure",
    "far_fp_counts",
    "far_fp_rate",
    "far_region",
    "format_table",
    "labels_from_files",
    "mae",
    "per_image_scores",
    "protocol_description",
    "rates",
    "scorable",
    "size_bucket",
    "smoke_free_crops",
    "smoke_ratio",
    "sod_image_scores",
]
