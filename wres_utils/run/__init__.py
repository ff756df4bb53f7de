"""Run: orchestration. Plan, prepare, execute notebooks (papermill, pre-started kernels, Dask),
render and publish atomically, the build cache and the run log.

Imported only by the CLI and checks.
"""
