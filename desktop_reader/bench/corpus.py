"""Benchmark inputs: the shared real articles, and perturbed copies of them to make archives of any size."""

from __future__ import annotations

import gzip
import hashlib
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from desktop_reader.models import CleanDocument, Entity, Metadata, PreparedArticle

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
BBC = SHARED / "corpus" / "bbc-news-2005"
PAGES = SHARED / "benchmarks" / "article-extraction" / "html"

# Fictional sources for the copies, so `site:` queries have something realistic to select.
SITES = (
    "bbc.co.uk",
    "theguardian.com",
    "reuters.com",
    "ft.com",
    "independent.co.uk",
    "telegraph.co.uk",
    "economist.com",
    "apnews.com",
)
FIRST_DAY = date(2004, 1, 1)
DAYS = 731  # the copies are spread over 2004-2005
_WORD = re.compile(r"[A-Za-z]{4,}")


@dataclass(frozen=True, slots=True)
class Base:
    """One real article after cleaning and entity recognition: the seed of its perturbed copies."""

    clean: CleanDocument
    entities: tuple[Entity, ...]


def available() -> bool:
    """True when the shared corpora are present."""
    return BBC.is_dir() and PAGES.is_dir()


def bbc_files(limit: int | None = None) -> list[Path]:
    """The 2,225 BBC .txt articles (or the first `limit`, spread over the five sections)."""
    files = sorted(BBC.glob("*/*.txt"))
    if limit is not None and limit < len(files):
        step = len(files) / limit
        files = [files[int(i * step)] for i in range(limit)]
    return files


def unpack_pages(dest: Path, limit: int | None = None) -> list[Path]:
    """Unzip the article-extraction pages (.html.gz) into `dest` as .html files."""
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for src in sorted(PAGES.glob("*.html.gz"))[:limit]:
        target = dest / src.name.removesuffix(".gz")
        target.write_bytes(gzip.decompress(src.read_bytes()))
        out.append(target)
    return out


def perturb_text(text: str, rng: random.Random, vocabulary: Sequence[str]) -> str:
    """A distinct version of `text`: paragraphs shuffled, some neighbouring words swapped or replaced."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    rng.shuffle(paragraphs)
    out = []
    for para in paragraphs:
        words = para.split(" ")
        for _ in range(max(1, len(words) // 25)):
            i = rng.randrange(len(words))
            if i + 1 < len(words) and rng.random() < 0.7:
                words[i], words[i + 1] = words[i + 1], words[i]
            elif vocabulary:
                words[i] = rng.choice(vocabulary)
        out.append(" ".join(words))
    return "\n\n".join(out)


def perturb_title(title: str, rng: random.Random, vocabulary: Sequence[str]) -> str:
    words = title.split()
    if words and vocabulary:
        words[rng.randrange(len(words))] = rng.choice(vocabulary).capitalize()
    return " ".join(words)


def relocate(entities: Sequence[Entity], text: str) -> tuple[Entity, ...]:
    """The entities still present in a perturbed text, with their mentions found again."""
    out = []
    for e in entities:
        spans = tuple((m.start(), m.end()) for m in re.finditer(re.escape(e.text), text))
        if spans:
            out.append(Entity(e.text, e.label, len(spans), spans))
    return tuple(out)


def vocabulary_of(bases: Sequence[Base], size: int = 5000) -> list[str]:
    """Frequent lower-case words of the corpus (4+ letters), for queries and perturbations."""
    counts: dict[str, int] = {}
    for b in bases:
        for w in _WORD.findall(b.clean.text.lower()):
            counts[w] = counts.get(w, 0) + 1
    ranked = sorted(counts, key=counts.__getitem__, reverse=True)
    return ranked[50 : 50 + size]  # the top 50 are mostly stop words


def copies(
    bases: Sequence[Base], start: int, count: int, seed: int = 11, vocabulary: Sequence[str] | None = None
) -> Iterator[PreparedArticle]:
    """Articles number start..start+count-1: the real ones first, then perturbed copies, dated 2004-2005."""
    vocabulary = vocabulary if vocabulary is not None else vocabulary_of(bases, 2000)
    for n in range(start, start + count):
        rng = random.Random(seed * 1_000_003 + n)
        base = bases[n % len(bases)]
        meta = base.clean.meta
        if n < len(bases):
            text, title, entities = base.clean.text, meta.title, base.entities
            site = meta.site or SITES[0]
        else:
            text = perturb_text(base.clean.text, rng, vocabulary)
            title = perturb_title(meta.title, rng, vocabulary)
            entities = relocate(base.entities, text)
            site = rng.choice(SITES)
        published = (FIRST_DAY + timedelta(days=rng.randrange(DAYS))).isoformat()
        content = f"{title}\n\n{text}".encode()
        sha = hashlib.sha256(f"{n}\n".encode() + content).hexdigest()
        clean = CleanDocument(
            text, Metadata(title=title, author=meta.author, published=published, site=site, url=meta.url)
        )
        yield PreparedArticle(Path(f"/bench/copy-{n:06d}.txt"), sha, "text", content, clean, entities)


def write_copies(bases: Sequence[Base], count: int, dest: Path, seed: int = 13) -> list[Path]:
    """Write `count` perturbed copies as .txt files (title line, blank line, paragraphs) to import."""
    dest.mkdir(parents=True, exist_ok=True)
    out: list[Path] = []
    for article in copies(bases, len(bases), count, seed):
        n = len(out)
        folder = dest / f"{n // 1000:03d}"
        folder.mkdir(exist_ok=True)
        path = folder / f"copy-{n:06d}.txt"
        path.write_bytes(article.content)
        out.append(path)
    return out
