"""Search: the Whoosh index (derived data, rebuildable from storage), query reading, scoring, snippets."""
