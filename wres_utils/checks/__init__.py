"""Checks: audit what was published (disclosure, records, markup), accessibility in Chromium,
and the PDF's structure.
"""
