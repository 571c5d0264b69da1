"""Subcommands of the ``spinekg`` CLI, one module each (see spinekg.cli.COMMANDS)."""
