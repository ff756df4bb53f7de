"""Example: the synthetic data generators (the example organisations, the commissioner's
providers and the national benchmark). Every file they write says SYNTHETIC.
"""
