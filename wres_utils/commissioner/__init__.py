"""The commissioner's view: monitor the WRES of the providers a commissioner funds.

It prepares; the run executes and publishes its report like any other unit's.
"""
