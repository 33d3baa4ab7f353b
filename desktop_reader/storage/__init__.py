"""Storage: the SQLite library (the durable record) and the cross-process write lock."""
