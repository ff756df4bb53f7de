"""Example: the synthetic data generators (the example organisations, the commissioner's
providers and the national benchmark). Every file they write says SYNTHETIC.
"""

#: WRES years generated (2021 = data to 31 March 2021).
YEARS: tuple[int, ...] = (2019, 2020, 2021, 2022, 2023)
#: The default seed of ``wres example-data``.
DEFAULT_SEED: int = 20210331
#: The joint group of the six CCGs.
JOINT_GROUP_NAME: str = "Staffordshire and Stoke-on-Trent CCGs"
#: Folder of the example extracts, relative to the repository root.
EXAMPLE_DIR: str = "data/example"
