"""Read, search and explore an offline archive of saved articles."""

__version__ = "0.1.0"
