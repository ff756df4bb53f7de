"""Disclosure: the gate that decides what may be published, and the one recipe that turns
a year's counts into the published table (used by the run, the audit, the CLI, the
commissioner's view and the broad view).

Imports core, inputs and compute.
"""
