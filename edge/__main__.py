"""Run the Borderpost command line as ``python -m edge``."""

from edge.cli import main

raise SystemExit(main())
