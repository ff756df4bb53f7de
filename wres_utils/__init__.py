"""wres_utils: a reproducible reporting pipeline for the NHS Workforce Race Equality Standard.

The package follows the flow of the data, one module per idea:

    params -> extracts (load & validate) -> counts (the boundary) -> indicators
    -> disclosure -> narrative / charts / tables -> pipeline (papermill) -> render -> audit

Record-level data never pass the counts boundary.
"""

__version__ = "0.1.0"
