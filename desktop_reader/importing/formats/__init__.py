"""One reader per input format: bytes of a file -> RawDocument."""
