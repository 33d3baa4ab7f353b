"""Jobs: long work over storage and search as generators of Progress (import, sync, refresh)."""
