"""``python -m luma_uni``: the ``luma-uni`` command line."""

import sys

from .cli import main

sys.exit(main())
