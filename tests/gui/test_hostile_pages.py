"""Hostile saved pages in the reader: nothing runs, nothing is fetched (a 127.0.0.1 server counts requests)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from PySide6.QtCore import QUrl

from tests.gui.conftest import drive_all


class _Counter(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"body{}")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server():
    _Counter.hits = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _hostile_page(base: str, secret: str) -> str:
    return f"""<!DOCTYPE html><html><head><title>Harbour news | Hostile Times</title>
<link rel="stylesheet" href="{base}/style.css">
<style>@import url("{base}/import.css"); body {{ background: url("{base}/bg.png") }}</style>
<script src="{base}/tracker.js"></script>
<script>fetch("{base}/inline-fetch"); document.write("<img src='{base}/written.png'>");</script>
<meta http-equiv="refresh" content="0; url={base}/refresh">
</head><body onload="fetch('{base}/onload')">
<article><h1>Harbour news</h1>
<p>The harbour master said the barges would leave at dawn, weather permitting.</p>
<p><img src="{base}/photo.jpg" srcset="{base}/photo2x.jpg 2x"> Crews loaded grain through the night.</p>
<p>Read the <a href="javascript:fetch('{base}/js-link')">full report</a> or the
<a href="file://{secret}">local file</a> or <a href="{base}/clicked">the source</a>.</p>
<iframe src="{base}/frame.html"></iframe><object data="{base}/object.swf"></object>
<video src="{base}/video.mp4" poster="{base}/poster.jpg"></video>
<p>Officials expect the port to reopen fully on Monday after the storm.</p>
</article></body></html>"""


def test_hostile_pages_fetch_nothing_and_run_nothing(qtbot, tmp_path, server, make_window, library, monkeypatch):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read me", encoding="utf-8")
    page = tmp_path / "hostile.html"
    page.write_text(_hostile_page(server, str(secret)), encoding="utf-8")
    mhtml = tmp_path / "hostile.mhtml"
    mhtml.write_bytes(
        (
            "From: <Saved by Blink>\r\nSnapshot-Content-Location: https://hostile.example/a\r\n"
            "Subject: Harbour news\r\nMIME-Version: 1.0\r\n"
            'Content-Type: multipart/related; type="text/html"; boundary="B"\r\n\r\n--B\r\n'
            "Content-Type: text/html; charset=utf-8\r\nContent-Location: https://hostile.example/a\r\n\r\n"
            + _hostile_page(server, str(secret)).replace("Harbour news", "Harbour MHTML news")
            + "\r\n--B--\r\n"
        ).encode()
    )
    report = drive_all(library.import_paths([page, mhtml], entities=False))
    assert report.imported == 2

    opened: list[QUrl] = []
    monkeypatch.setattr("desktop_reader.gui.reader_view.open_url", lambda url: opened.append(url) or True)
    window = make_window(library)
    for outcome in report.outcomes:
        with qtbot.waitSignal(window.article_shown, timeout=5_000):
            window.show_article(outcome.id)
        text = window.reader.toPlainText()
        assert "barges would leave at dawn" in text
        assert "fetch(" not in text and "document.write" not in text
        assert "do not read me" not in text
        for url in (f"{server}/style.css", f"file://{secret}", "javascript:fetch('x')"):
            window.reader.loadResource(2, QUrl(url))
        # Links are followed only on an explicit click, and only http(s) or the stored original.
        window.reader.anchorClicked.emit(QUrl("javascript:fetch('/js-link')"))
        window.reader.anchorClicked.emit(QUrl.fromLocalFile(str(secret)))
        qtbot.wait(300)  # give any stray network activity a chance to reach the counter
    assert _Counter.hits == []
    assert opened == []
    # An explicit click on an http link hands it to the system browser; the reader itself fetches nothing.
    window.reader.anchorClicked.emit(QUrl(f"{server}/clicked"))
    assert [u.toString() for u in opened] == [f"{server}/clicked"]
    assert _Counter.hits == []
