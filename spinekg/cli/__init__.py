"""The ``spinekg`` command: ``main`` parses arguments and maps errors to exit codes; every other module
here is one subcommand that calls the Python API and prints."""
from .main import main

__all__ = ["main"]
