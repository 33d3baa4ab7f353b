"""`python -m desktop_reader` runs the command line."""

from __future__ import annotations

from desktop_reader.cli import main

raise SystemExit(main())
