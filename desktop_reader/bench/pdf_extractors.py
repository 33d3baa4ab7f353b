"""Compare PDF text extractors (pypdf, pdfminer.six, pypdfium2, pdftotext) on printed benchmark pages.

Speed is pages per second of text extraction alone; quality is the benchmark's shingle F1 of the
raw text against the reference (menus and footers included, so every extractor loses precision
the same way) and the share of reference words that came out whole (split or glued words lose).

    python -m desktop_reader.bench.format_corpus /tmp/formats --formats pdf
    python -m desktop_reader.bench.pdf_extractors /tmp/formats/pdf
"""

from __future__ import annotations

import argparse
import re
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from desktop_reader.bench.format_scores import load_truth, score

_WORD = re.compile(r"\w+")


def with_pypdf(path: Path) -> tuple[str, int]:
    import pypdf

    reader = pypdf.PdfReader(path)
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def with_pdfminer(path: Path) -> tuple[str, int]:
    from pdfminer.high_level import extract_text
    from pdfminer.pdfpage import PDFPage

    with path.open("rb") as fh:
        count = sum(1 for _ in PDFPage.get_pages(fh))
    return extract_text(path), count


def with_pdfium(path: Path) -> tuple[str, int]:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(path)
    try:
        texts = [page.get_textpage().get_text_range() for page in pdf]
        return "\n".join(texts), len(pdf)
    finally:
        pdf.close()


def with_pdftotext(path: Path) -> tuple[str, int]:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout
    text = out.decode("utf-8", "replace")
    return text, text.count("\f") or 1


EXTRACTORS: dict[str, Callable[[Path], tuple[str, int]]] = {
    "pypdf": with_pypdf,
    "pdfminer.six": with_pdfminer,
    "pypdfium2": with_pdfium,
    "pdftotext -layout": with_pdftotext,
}


def whole_words(truth: str, text: str) -> float:
    want, got = Counter(_WORD.findall(truth.lower())), Counter(_WORD.findall(text.lower()))
    return sum((want & got).values()) / max(1, sum(want.values()))


def compare(folder: Path, names: Sequence[str]) -> None:
    truth = load_truth()
    files = sorted(folder.glob("*.pdf"))
    print(f"{len(files)} PDFs in {folder}")
    print(f"{'extractor':<18} {'pages/s':>8} {'F1 raw':>7} {'words whole':>12}")
    for name in names:
        extract = EXTRACTORS[name]
        predictions, pages, seconds, words = {}, 0, 0.0, []
        for path in files:
            page_id = truth.id_of(path)
            start = time.perf_counter()
            text, count = extract(path)
            seconds += time.perf_counter() - start
            pages += count
            predictions[page_id] = text
            words.append(whole_words(truth.texts[page_id], text))
        f1 = score(predictions, truth)["f1"]
        print(f"{name:<18} {pages / seconds:>8.1f} {f1:>7.3f} {sum(words) / len(words):>12.3f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--only", default=",".join(EXTRACTORS))
    args = parser.parse_args(argv)
    compare(args.folder, args.only.split(","))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
