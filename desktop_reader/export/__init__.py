"""Writing articles with the reader's tags, notes and highlights out: Markdown, CSV and bibliographic formats."""
