"""Run the bipsim command line with ``python -m bipsim``."""

import sys

from bipsim.cli import main

if __name__ == "__main__":
    sys.exit(main())
