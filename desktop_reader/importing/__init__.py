"""Importing: finding files, decoding bytes, one reader per format, HTML to text, page metadata, cleaning."""
