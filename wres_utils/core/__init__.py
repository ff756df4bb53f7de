"""Core: what every stage shares. Parameters (validated by pydantic), input errors, action plans,
pay bands, ethnic groups, staff survey questions and the catalogue of indicators.

Imports nothing else from wres_utils.
"""
