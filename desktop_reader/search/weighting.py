"""The ranking function: BM25 per field with the Robertson-Sparck Jones idf, summed over fields."""

from __future__ import annotations

from math import log
from typing import Any

from whoosh.scoring import BM25F


class Bm25(BM25F):  # type: ignore[misc]
    """Whoosh's BM25F (B=0.75, K1=1.2, per-field length normalisation) with BM25's own idf.

    Whoosh's idf, log(N / (n + 1)) + 1, never falls below 1, so a word in most of the archive
    still weighs a third of a rare one, and in a long query the common words of a sentence
    outvote the one rare word that names the subject. BM25's idf, log(1 + (N - n + 0.5) / (n + 0.5))
    (Lucene's), goes towards 0 for such words.
    """

    def idf(self, searcher: Any, fieldname: str, text: bytes) -> float:
        parent = searcher.get_parent()
        n = parent.doc_frequency(fieldname, text)
        dc = parent.doc_count_all()
        return log(1 + (dc - n + 0.5) / (n + 0.5))
