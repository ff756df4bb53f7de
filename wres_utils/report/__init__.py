"""Report: what readers see. Views over prepared (already disclosed) figures, sentences, charts,
tables, HTML and PDF rendering, the return workbook, safe CSV and national figures.

Imports core and disclosure only (never inputs, compute, run or checks directly).
"""
