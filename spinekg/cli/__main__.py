"""``python -m spinekg.cli``: the same as the ``spinekg`` command."""
import sys

from .main import main

sys.exit(main())
