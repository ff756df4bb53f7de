"""Inputs: read, validate and load the raw extracts, and turn records into counts.

The counts table is the boundary: nothing record-level leaves this sub-package.
Imports only core.
"""
