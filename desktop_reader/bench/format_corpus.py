"""Real test files in every archive format, made from the extraction benchmark's pages with real tools.

PDF: each page printed by headless Chromium (served from 127.0.0.1 under its own URL, so the print
footer names it; every other host is unreachable). EPUB: pandoc over the readability-cleaned page,
as send-to-e-reader tools make them. WARC/WACZ: warcio, with the request, an image, a revisit
and a second capture per page, as crawlers write them. Safari .webarchive: plistlib. Wallabag
JSON and Omnivore ZIP: the cleaned HTML in their export layouts.

    python -m desktop_reader.bench.format_corpus OUT [--limit N] [--formats pdf,epub,...]
    python -m desktop_reader.bench.format_corpus /tmp/big --formats warc --warc-mb 500
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
import os
import plistlib
import shutil
import signal
import ssl
import subprocess
import tempfile
import threading
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from desktop_reader.bench.corpus import PAGES

TRUTH = PAGES.parent / "ground-truth.json"
REPO = Path(__file__).resolve().parents[2]
PAGES_DIR = REPO / "tests" / "data" / "pages"
FORMATS = ("pdf", "epub", "warc", "wacz", "webarchive", "wallabag", "omnivore")
# Pages never fetch anything: no network exists here, and a benchmark must not depend on one.
_CSP = (
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
    "style-src 'unsafe-inline'; img-src data:\">"
)
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--timeout=15000",  # print what has loaded after 15 s: a page waiting on a blocked load would hang
)


@dataclass(frozen=True, slots=True)
class Page:
    """One benchmark page: its id, URL, HTML bytes and reference text."""

    id: str
    url: str
    html: bytes
    truth: str

    @property
    def https_url(self) -> str:
        # Browsers upgrade many hosts to HTTPS (HSTS preload), so the local server speaks TLS.
        parts = urlsplit(self.url)
        return f"https://{parts.netloc}{parts.path or '/'}"


def pages(limit: int | None = None) -> list[Page]:
    truth = json.loads(TRUTH.read_text(encoding="utf-8"))
    ids = sorted(truth)[:limit]
    return [
        Page(i, truth[i]["url"], gzip.decompress((PAGES / f"{i}.html.gz").read_bytes()), truth[i]["articleBody"])
        for i in ids
    ]


def pages_from(folder: Path) -> list[Page]:
    """Any folder of saved .html pages as benchmark-like pages (no reference text), for test files."""
    return [
        Page(path.stem, f"https://example.org/news/{path.stem}", path.read_bytes(), "")
        for path in sorted(folder.glob("*.html"))
    ]


def offline(html: bytes) -> bytes:
    """The page with a CSP that forbids every load (scripts, styles, images, frames) from anywhere."""
    lower = html[:4096].lower()
    at = lower.find(b"<head")
    at = html.find(b">", at) + 1 if at >= 0 else 0
    return html[:at] + _CSP.encode() + html[at:]


def title_of(page: Page) -> str:
    from readability import Document

    return str(Document(page.html.decode("utf-8", "replace")).short_title()) or page.id


def cleaned_html(page: Page) -> str:
    """The article alone as HTML paragraphs: what read-later services store and e-book tools convert.

    Made with the importer's own cleaning, so that an EPUB's or an export's score measures its
    reader, not a second cleaner (readability's raw summary scores 0.94 where ours scores 0.98).
    """
    from html import escape

    from desktop_reader.importing.cleaning import article_text

    text = article_text(page.html.decode("utf-8", "replace"), page.url)
    return "\n".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n") if p.strip())


# -- PDF -----------------------------------------------------------------------------------


class _Server:
    """Serves each page under its own host and path on 127.0.0.1; everything else is a 404."""

    def __init__(self, served: dict[str, bytes], certs: Path) -> None:
        table = served

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = table.get(f"{self.headers.get('Host', '')}{self.path.split('?')[0]}")
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *args: object) -> None:
                pass

            def handle(self) -> None:
                with contextlib.suppress(OSError):  # a client that gave up or spoke plain HTTP
                    super().handle()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=bench",
                "-keyout",
                str(certs / "key.pem"),
                "-out",
                str(certs / "cert.pem"),
            ],
            check=True,
            capture_output=True,
        )
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certs / "cert.pem", certs / "key.pem")
        # Handshakes in the handler threads: a preconnected socket that never speaks must not block accept().
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True, do_handshake_on_connect=False)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()


def print_pdfs(items: Sequence[Page], out: Path, *, header_footer: bool = True) -> list[Path]:
    """Print each page to OUT/<id>.pdf with headless Chromium, header and footer on by default."""
    served = {p.https_url.removeprefix("https://"): offline(p.html) for p in items}
    certs = Path(tempfile.mkdtemp())
    server = _Server(served, certs)
    made = []
    try:
        for page in items:
            target = out / f"{page.id[:40]}.pdf"
            with tempfile.TemporaryDirectory() as profile:
                browser = subprocess.Popen(
                    [
                        "chromium",
                        *CHROMIUM_FLAGS,
                        f"--user-data-dir={profile}",
                        # Every host name resolves to the local server, which knows only the pages.
                        f"--host-resolver-rules=MAP * 127.0.0.1:{server.port}",
                        "--ignore-certificate-errors",  # the local server's certificate is self-signed
                        *(() if header_footer else ("--no-pdf-header-footer",)),
                        f"--print-to-pdf={target}",
                        page.https_url,
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
                try:
                    browser.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(browser.pid, signal.SIGKILL)
                    browser.wait()
            if target.exists():
                made.append(target)
    finally:
        server.close()
        shutil.rmtree(certs, ignore_errors=True)
    return made


# -- EPUB ----------------------------------------------------------------------------------


def write_epubs(items: Sequence[Page], out: Path, version: int = 3) -> list[Path]:
    made = []
    for page in items:
        target = out / f"{page.id[:40]}.epub"
        title = title_of(page)
        subprocess.run(
            [
                "pandoc",
                "-f",
                "html",
                "-t",
                f"epub{version}",
                "-o",
                str(target),
                "--metadata",
                f"title={title}",
                "--metadata",
                "lang=en",
            ],
            input=cleaned_html(page).encode(),
            check=True,
            capture_output=True,
            timeout=120,
        )
        made.append(target)
    return made


# -- WARC / WACZ ---------------------------------------------------------------------------


def warc_records(items: Sequence[Page], *, extras: bool = True) -> Iterator[tuple[str, str, bytes, bytes, str]]:
    """(type, url, http head, body, date) for each record a crawl of these pages writes."""
    for n, page in enumerate(items):
        date = f"2024-05-{1 + n % 28:02d}T10:00:00Z"
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        if extras:
            yield "request", page.url, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", b"", date
            # An older capture of the same page: the newest must win.
            yield (
                "response",
                page.url,
                head,
                b"<html><body><p>old capture</p></body></html>",
                date.replace("10:", "09:"),
            )
            yield (
                "response",
                page.url + "/logo.png",
                b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n",
                b"\x89PNG",
                date,
            )
        yield "response", page.url, head, page.html, date


def write_warc(records: Iterator[tuple[str, str, bytes, bytes, str]], target: Path, *, gz: bool = True) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with target.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        for kind, url, head, body, date in records:
            http = None
            if head:
                status, *lines = head.decode("latin-1").strip().split("\r\n")
                headers = [tuple(line.split(": ", 1)) for line in lines]
                proto = "request" if kind == "request" else "response"
                http = StatusAndHeaders(
                    status.split(" ", 1)[1] if proto == "response" else status,
                    headers,
                    protocol="HTTP/1.1",
                    is_http_request=proto == "request",
                )
            record = writer.create_warc_record(
                url, kind, payload=io.BytesIO(body), http_headers=http, warc_headers_dict={"WARC-Date": date}
            )
            writer.write_record(record)
    return target


def write_wacz(warc: Path, items: Sequence[Page], target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as z:
        z.write(warc, "archive/data.warc.gz", compress_type=zipfile.ZIP_STORED)
        z.writestr("datapackage.json", json.dumps({"profile": "data-package", "wacz_version": "1.1.1"}))
        z.writestr("pages/pages.jsonl", "\n".join(json.dumps({"url": p.url}) for p in items))
    return target


# -- Safari, Wallabag, Omnivore ------------------------------------------------------------


def write_webarchive(page: Page, target: Path) -> Path:
    archive = {
        "WebMainResource": {
            "WebResourceData": page.html,
            "WebResourceFrameName": "",
            "WebResourceMIMEType": "text/html",
            "WebResourceTextEncodingName": "UTF-8",
            "WebResourceURL": page.url,
        },
        "WebSubresources": [
            {"WebResourceData": b"\x89PNG", "WebResourceMIMEType": "image/png", "WebResourceURL": page.url + ".png"}
        ],
    }
    target.write_bytes(plistlib.dumps(archive, fmt=plistlib.FMT_BINARY))
    return target


def write_wallabag(items: Sequence[Page], target: Path) -> Path:
    entries = [
        {
            "id": n + 1,
            "title": title_of(p),
            "url": p.url,
            "content": cleaned_html(p),
            "published_by": [],
            "published_at": None,
            "created_at": "2024-05-01T10:00:00+0200",
            "tags": ["bench"],
            "language": "en",
        }
        for n, p in enumerate(items)
    ]
    entries.append({"id": 0, "title": "Only a link", "url": "https://example.org/x", "content": "", "tags": []})
    target.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    return target


def write_omnivore(items: Sequence[Page], target: Path) -> Path:
    meta = []
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for p in items:
            slug = p.id[:16]
            meta.append(
                {
                    "id": p.id,
                    "slug": slug,
                    "title": title_of(p),
                    "url": p.url,
                    "author": "",
                    "labels": ["bench"],
                    "savedAt": "2024-05-01T10:00:00.000Z",
                    "publishedAt": None,
                    "state": "Archived",
                }
            )
            z.writestr(f"content/{slug}.html", cleaned_html(p))
        meta.append({"id": "link", "slug": "only-a-link", "title": "Only a link", "url": "https://example.org/y"})
        z.writestr(f"metadata_0_to_{len(meta)}.json", json.dumps(meta))
    return target


# -- driver --------------------------------------------------------------------------------


def build(out: Path, formats: Sequence[str], limit: int | None, source: Path | None = None) -> dict[str, list[Path]]:
    items = (pages_from(source) if source else pages())[:limit]
    made: dict[str, list[Path]] = {}
    for fmt in formats:
        folder = out / fmt
        folder.mkdir(parents=True, exist_ok=True)
        if fmt == "pdf":
            made[fmt] = print_pdfs(items, folder)
        elif fmt == "epub":
            made[fmt] = write_epubs(items, folder)
        elif fmt == "warc":
            made[fmt] = [write_warc(warc_records(items), folder / "pages.warc.gz")]
        elif fmt == "wacz":
            warc = write_warc(warc_records(items), folder / "data.warc.gz")
            made[fmt] = [write_wacz(warc, items, folder / "pages.wacz")]
            warc.unlink()
        elif fmt == "webarchive":
            made[fmt] = [write_webarchive(p, folder / f"{p.id[:40]}.webarchive") for p in items]
        elif fmt == "wallabag":
            made[fmt] = [write_wallabag(items, folder / "wallabag.json")]
        elif fmt == "omnivore":
            made[fmt] = [write_omnivore(items, folder / "omnivore.zip")]
    return made


def test_files(out: Path) -> list[Path]:
    """The small files tests/data/archives/ holds (OUT/pdf/, OUT/warc/...), from the project's own sample articles.

    Besides a printed page: a scan (the printed page as a picture, printed again: no text layer),
    the page encrypted with only an owner password (opens without one), one that needs a password,
    the page cut in half (truncated download) and an HTML page saved with a .pdf name.
    """
    import base64

    import pypdf  # only to encrypt the test copies; the importer reads PDFs with pypdfium2

    samples = REPO / "resources" / "samples"
    page = next(p for p in pages_from(samples) if p.id.startswith("bohnenhaus"))
    out = out / "pdf"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        printed = print_pdfs([page], Path(tmp))[0]
        target = out / "printed.pdf"
        shutil.copyfile(printed, target)
        made = [target]
        subprocess.run(
            ["pdftoppm", "-r", "40", "-gray", "-png", "-f", "1", "-l", "1", str(printed), f"{tmp}/scan"], check=True
        )
        picture = base64.b64encode(next(Path(tmp).glob("scan*.png")).read_bytes()).decode()
        scan_page = Page(
            "scan", "https://example.org/scan", f'<img src="data:image/png;base64,{picture}">'.encode(), ""
        )
        scanned = print_pdfs([scan_page], Path(tmp), header_footer=False)[0]
        made.append(shutil.copyfile(scanned, out / "scanned.pdf"))
        notice = Page("notice", "https://example.org/notice", (PAGES_DIR / "plain-notice.html").read_bytes(), "")
        small = shutil.copyfile(print_pdfs([notice], Path(tmp))[0], out / "notice.pdf")
        made.append(small)
    for name, user in (("owner_password_only.pdf", ""), ("needs_password.pdf", "secret")):
        writer = pypdf.PdfWriter(clone_from=small)
        writer.encrypt(user_password=user, owner_password="owner", algorithm="AES-128")
        with (out / name).open("wb") as fh:
            writer.write(fh)
        made.append(out / name)
    data = target.read_bytes()
    (out / "truncated.pdf").write_bytes(data[: len(data) // 2])
    (out / "html_renamed.pdf").write_bytes(b"<!DOCTYPE html><html><body><p>Not a PDF at all.</p></body></html>")
    return [*made, out / "truncated.pdf", out / "html_renamed.pdf", *archive_test_files(out.parent)]


def archive_test_files(out: Path) -> list[Path]:
    """The small WARC, WACZ, EPUB, .webarchive and export test files, and broken ones, in OUT/<format>/."""
    items = pages_from(REPO / "resources" / "samples")
    made = [
        *build(out, ["warc", "wacz", "wallabag", "omnivore"], None, REPO / "resources" / "samples").values(),
        [shutil.move(p, p.with_name("book3.epub")) for p in write_epubs(items[:1], _folder(out, "epub"), version=3)],
        [shutil.move(p, p.with_name("book2.epub")) for p in write_epubs(items[1:2], _folder(out, "epub"), version=2)],
        [write_webarchive(items[0], _folder(out, "webarchive") / "page.webarchive")],
    ]
    # A crawl whose third record was damaged on disk: the others must still import.
    corrupt = write_warc(warc_records(items, extras=False), _folder(out, "warc") / "corrupt.warc.gz")
    data = bytearray(corrupt.read_bytes())
    offsets = _record_offsets(corrupt)
    middle = (offsets[2] + offsets[3]) // 2
    data[middle : middle + 64] = bytes(range(64))
    corrupt.write_bytes(bytes(data))
    # Zip bombs: a member that claims to unpack a thousand times its size.
    bomb = b"\0" * (20 * 1024 * 1024)
    with zipfile.ZipFile(_folder(out, "wacz") / "bomb.wacz", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("archive/data.warc.gz", bomb)
        z.writestr("datapackage.json", "{}")
    with zipfile.ZipFile(_folder(out, "omnivore") / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("metadata_0_to_1.json", json.dumps([{"slug": "x", "url": "https://example.org/x"}]))
        z.writestr("content/x.html", bomb)
    return [p for group in made for p in group] + [corrupt, out / "wacz" / "bomb.wacz", out / "omnivore" / "bomb.zip"]


def _folder(out: Path, name: str) -> Path:
    (out / name).mkdir(parents=True, exist_ok=True)
    return out / name


def _record_offsets(path: Path) -> list[int]:
    from warcio.archiveiterator import ArchiveIterator

    with path.open("rb") as fh:
        records = ArchiveIterator(fh)
        return [records.get_record_offset() for _ in records]


def big_warc(target: Path, megabytes: int) -> Path:
    """A WARC of at least `megabytes` MB: the benchmark pages captured over and over.

    Each capture has its own URL and bytes (a comment numbers it), so every one is imported as
    an article of its own, stored and indexed, as a crawl's pages would be.
    """
    items = pages()

    def records() -> Iterator[tuple[str, str, bytes, bytes, str]]:
        written, round_ = 0, 0
        while written < megabytes * 1_000_000:
            for page in items:
                html = b"<!-- capture %d -->\n" % round_ + page.html
                copy = Page(page.id, f"{page.url}?copy={round_}", html, page.truth)
                for record in warc_records([copy], extras=False):
                    written += len(record[3])
                    yield record
            round_ += 1

    return write_warc(records(), target, gz=False)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--pages", type=Path, help="a folder of .html pages to use instead of the benchmark's")
    parser.add_argument("--test-files", action="store_true", help="the small files tests/data/archives/ holds")
    parser.add_argument("--warc-mb", type=int, default=0, help="instead: one uncompressed WARC of this size")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.test_files:
        for path in test_files(args.out):
            print(path)
        return 0
    if args.warc_mb:
        print(big_warc(args.out / f"big-{args.warc_mb}mb.warc", args.warc_mb))
        return 0
    if "pdf" in args.formats and not shutil.which("chromium"):
        parser.error("PDF needs headless Chromium: apt-get install chromium")
    for fmt, files in build(args.out, args.formats.split(","), args.limit, args.pages).items():
        print(f"{fmt}: {len(files)} files in {args.out / fmt}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
