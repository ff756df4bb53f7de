"""Compute: the indicators from counts (with joint pooling), broad ethnic groups,
confidence intervals and the check of a provider's published figures.

Imports core and inputs.
"""
