"""The PySide6 desktop window over the Qt-free core (the only package that imports Qt)."""
