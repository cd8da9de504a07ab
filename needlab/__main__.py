"""``python -m needlab`` runs the command line."""

import sys

from needlab.cli import main

sys.exit(main())
