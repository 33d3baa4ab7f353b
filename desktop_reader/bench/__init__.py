"""The benchmark suite: import, search, opening and memory on real articles (`python -m desktop_reader.bench`)."""
