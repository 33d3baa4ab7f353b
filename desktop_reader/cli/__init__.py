"""The command line: argparse commands over Library, and the terminal progress bar."""

from desktop_reader.cli.commands import main

__all__ = ["main"]
