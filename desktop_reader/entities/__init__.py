"""Entities: spaCy extraction and the tidying of its spans into one list per article."""
