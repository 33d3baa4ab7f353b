"""Fuzzing the import stage: every input ends as PreparedArticle or FailedFile with a reason, and quickly.

Inputs are random bytes and real files from tests/data and resources/samples, mutated
(byte flips, truncations, splices, NULs, huge attributes, deep nesting, unclosed tags,
bogus charsets, broken MIME and front matter, re-encodings), each written with some
supported suffix and run through `preparation.prepare_many`, the pipeline's per-file stage.

The CI pass is small and derandomized (the same inputs every run). For a long local run,
set the total number of inputs across this module:

    cd /work/main && DESKTOP_READER_FUZZ_EXAMPLES=20000 \\
        /work/venv/bin/python -m pytest tests/system/test_fuzz_import.py -q -s

Each test prints how many inputs it tried and the slowest one; a hang longer than
`HANG_SECONDS` aborts the run with a traceback of where it hung (faulthandler).
"""

from __future__ import annotations

import faulthandler
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_reader.errors import ImportFailed
from desktop_reader.importing import file_readers
from desktop_reader.jobs import preparation
from desktop_reader.models import FailedFile, PreparedArticle
from tests.helpers import DATA, SAMPLES

SEED_DIRS = (DATA / "formats", DATA / "pages", SAMPLES)
SUFFIXES = file_readers.SUPPORTED_SUFFIXES

ENV_EXAMPLES = "DESKTOP_READER_FUZZ_EXAMPLES"
CI_EXAMPLES = 500  # sized so this module runs in well under a minute on two shared cores
# Share of the total each fuzz test gets.
PLAN = {"random": 0.15, "mutated": 0.55, "mhtml": 0.15, "markdown": 0.15}

# Per file, an input slower than this fails the test: 10 s, or for big inputs 40 µs a byte.
# Work linear in the size costs up to ~30 µs a byte on a loaded machine (markdown-it on a list
# of one-word items); a quadratic path blows far past either figure.
BUDGET_SECONDS = 10.0
BUDGET_SECONDS_PER_BYTE = 40e-6
SLOW_SECONDS = 5.0  # reported, for the per-file time limit in the pipeline
HANG_SECONDS = 120.0  # at least; no Python-level timeout can interrupt C code, so abort the process


def _total() -> int:
    return int(os.environ.get(ENV_EXAMPLES) or CI_EXAMPLES)


def planned(name: str) -> int:
    return max(10, round(_total() * PLAN[name]))


def fuzz_settings(name: str) -> settings:
    return settings(
        max_examples=planned(name),
        deadline=None,  # timing is checked by hand, with a budget meant for slow CI machines
        derandomize=True,
        database=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )


def _load_seeds() -> list[tuple[str, bytes]]:
    seeds = []
    for folder in SEED_DIRS:
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.suffix.lower() in SUFFIXES:
                seeds.append((path.suffix.lower(), path.read_bytes()))
    return seeds


SEEDS = _load_seeds()
MHTML_SEEDS = [data for suffix, data in SEEDS if suffix in (".mhtml", ".mht")]
MARKDOWN_SEEDS = [data for suffix, data in SEEDS if suffix in (".md", ".markdown")]


class Runner:
    """Runs inputs through prepare_many in one folder, counting them and timing each."""

    def __init__(self, folder: Path, hang_report: int) -> None:
        self.folder = folder
        self.hang_report = hang_report  # a file descriptor of the real stderr
        self.tried = 0
        self.slowest = (0.0, b"", "")
        self.slow: list[tuple[float, str, int, bytes]] = []

    def check(self, data: bytes, suffix: str) -> None:
        path = self.folder / f"fuzzed{suffix}"
        path.write_bytes(data)
        budget = max(BUDGET_SECONDS, len(data) * BUDGET_SECONDS_PER_BYTE)
        faulthandler.dump_traceback_later(max(HANG_SECONDS, 3 * budget), exit=True, file=self.hang_report)
        try:
            start = time.perf_counter()
            results = preparation.prepare_many([path], None)
            elapsed = time.perf_counter() - start
        finally:
            faulthandler.cancel_dump_traceback_later()
            path.unlink()
        self.tried += 1
        if elapsed > self.slowest[0]:
            self.slowest = (elapsed, data, suffix)
        if elapsed > SLOW_SECONDS:
            self.slow.append((elapsed, suffix, len(data), data[:60]))
        assert len(results) == 1
        result = results[0]
        if isinstance(result, PreparedArticle):
            assert result.clean.meta.title.strip()
            assert result.clean.text.strip()
        else:
            assert isinstance(result, FailedFile)
            assert result.reason.strip()
            # prepare_many turns bugs into this reason so a batch survives them; here they fail.
            assert not result.reason.startswith("unexpected error"), result.reason
        assert elapsed < budget, f"{suffix} input of {len(data)} bytes took {elapsed:.1f} s"

    def report(self, name: str) -> str:
        seconds, data, suffix = self.slowest
        lines = [
            f"{name}: {self.tried} inputs tried (planned {planned(name)}); "
            f"slowest {seconds:.2f} s ({suffix}, {len(data)} bytes); over {SLOW_SECONDS:g} s: {len(self.slow)}"
        ]
        lines += [f"  {t:.1f} s: {suf}, {size} bytes, starting {head!r}" for t, suf, size, head in self.slow[:10]]
        return "\n".join(lines)


def run(name: str, strategy: st.SearchStrategy[tuple[bytes, str]], folder: Path, capsys, record_property) -> None:  # type: ignore[no-untyped-def]
    with capsys.disabled():  # pytest captures fd 2; a hang report must reach the terminal
        hang_report = os.dup(2)
    runner = Runner(folder, hang_report)

    @fuzz_settings(name)
    @given(strategy)
    def case(example: tuple[bytes, str]) -> None:
        runner.check(*example)

    try:
        case()
    finally:
        os.close(hang_report)
    line = runner.report(name)
    record_property("inputs_tried", runner.tried)
    with capsys.disabled():
        print(f"\n[fuzz] {line}")
    assert runner.tried >= planned(name), line


# --- mutations -----------------------------------------------------------------------------------

Mutation = Callable[[st.DrawFn, bytes], bytes]


def _pos(draw: st.DrawFn, data: bytes) -> int:
    return draw(st.integers(0, len(data)))


def flip_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    if not data:
        return data
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 16))):
        i = draw(st.integers(0, len(out) - 1))
        out[i] ^= draw(st.integers(1, 255))
    return bytes(out)


def truncate(draw: st.DrawFn, data: bytes) -> bytes:
    cut = _pos(draw, data)
    return data[:cut] if draw(st.booleans()) else data[cut:]


def splice(draw: st.DrawFn, data: bytes) -> bytes:
    _, other = draw(st.sampled_from(SEEDS))
    return data[: _pos(draw, data)] + other[_pos(draw, other) :]


def insert(draw: st.DrawFn, data: bytes, chunk: bytes) -> bytes:
    i = _pos(draw, data)
    return data[:i] + chunk + data[i:]


def insert_nuls(draw: st.DrawFn, data: bytes) -> bytes:
    for _ in range(draw(st.integers(1, 8))):
        data = insert(draw, data, b"\x00" * draw(st.integers(1, 4)))
    return data


def insert_random(draw: st.DrawFn, data: bytes) -> bytes:
    return insert(draw, data, draw(st.binary(min_size=1, max_size=256)))


HUGE_SIZES = st.sampled_from([1_000, 70_000, 300_000, 1_500_000])


def huge_attribute(draw: st.DrawFn, data: bytes) -> bytes:
    attr = draw(st.sampled_from([b"class", b"id", b"title", b"style", b"href", b"content", b"datetime"]))
    unit = draw(st.sampled_from([b"a", b"x ", b"caption ", b"&amp;", b"\xc3\xa9", b"-", b"\\", b"'"]))
    value = unit * (draw(HUGE_SIZES) // len(unit))
    tag = draw(st.sampled_from([b"p", b"div", b"meta", b"a", b"time", b"link", b"h1"]))
    closed = b'">' if draw(st.booleans()) else b""
    return insert(draw, data, b"<" + tag + b" " + attr + b'="' + value + closed)


def huge_text(draw: st.DrawFn, data: bytes) -> bytes:
    unit = draw(st.sampled_from([b"word ", b"\n", b"\n\n", b"<br>", b"<p>", b"&#x10FFFF;", b"\t", b"=\r\n", b"- "]))
    return insert(draw, data, unit * (draw(HUGE_SIZES) // len(unit)))


NESTING_TAGS = [b"div", b"b", b"span", b"blockquote", b"ul><li", b"table><tr><td", b"article", b"pre", b"section"]


def deep_nesting(draw: st.DrawFn, data: bytes) -> bytes:
    tag = draw(st.sampled_from(NESTING_TAGS))
    depth = draw(st.sampled_from([300, 3_000, 30_000]))
    inner = b"<" + tag + b">" + draw(st.sampled_from([b"", b"text ", b"<p>A paragraph of words.</p>"]))
    closers = b"</" + tag.split(b">")[0] + b">" if draw(st.booleans()) else b""
    return insert(draw, data, inner * depth + closers * depth)


UNCLOSED = [
    b"<p",
    b"<a href='",
    b'<a href="',
    b"<!--",
    b"<![CDATA[",
    b"<script>",
    b"<style>",
    b"<textarea>",
    b"<title>",
    b"<noscript>",
    b"<template>",
    b"<svg><foreignObject>",
    b"<math><mi>",
    b"<table><tr><td>",
    b"<select><option>",
    b"<iframe srcdoc='",
    b"<plaintext>",
    b"<xmp>",
    b"<?xml ",
    b"<!DOCTYPE ",
    b"</",
    b"<",
    b"&",
    b"&#",
    b"&#x110000;",
    b"&#0;",
    b"\xef\xbb\xbf",
]


def unclosed_tags(draw: st.DrawFn, data: bytes) -> bytes:
    for _ in range(draw(st.integers(1, 6))):
        data = insert(draw, data, draw(st.sampled_from(UNCLOSED)))
    return data


CHARSET_LABELS = [
    "utf-7",
    "utf-16",
    "utf-16be",
    "utf-32",
    "x-user-defined",
    "unicode-escape",
    "raw-unicode-escape",
    "rot13",
    "rot_13",
    "base64",
    "zlib",
    "hex",
    "bz2",
    "uu",
    "quopri",
    "idna",
    "punycode",
    "undefined",
    "mbcs",
    "cp65001",
    "iso-2022-jp",
    "utf_8_sig",
    "koi8-r",
    "shift_jis",
    "gb18030",
    "big5",
    "latin1",
    "bogus",
    "",
    "utf-8\x00",
    "utf8;",
    "\u00e9t\u00e9",
    "a" * 1000,
    "..",
    "-",
    "_",
]


def bogus_charset(draw: st.DrawFn, data: bytes) -> bytes:
    label = draw(st.sampled_from(CHARSET_LABELS)).encode("utf-8")
    form = draw(st.integers(0, 3))
    if form == 0:
        decl = b'<meta charset="' + label + b'">'
    elif form == 1:
        decl = b'<meta http-equiv="Content-Type" content="text/html; charset=' + label + b'">'
    elif form == 2:
        decl = b'<?xml version="1.0" encoding="' + label + b'"?>'
    else:  # a MIME parameter, in whatever header it lands
        decl = b"Content-Type: text/html; charset=" + label + b"\r\n"
    if b"charset=" in data and draw(st.booleans()):
        head, _, tail = data.partition(b"charset=")
        return head + b"charset=" + label + b'"' + tail
    return decl + data if draw(st.booleans()) else insert(draw, data, decl)


ENCODINGS = [
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "utf-32",
    "cp1252",
    "shift_jis",
    "gb18030",
    "koi8-r",
]


def reencode(draw: st.DrawFn, data: bytes) -> bytes:
    text = data.decode("utf-8", "replace")
    return text.encode(draw(st.sampled_from(ENCODINGS)), "replace")


def repeat_region(draw: st.DrawFn, data: bytes) -> bytes:
    i = _pos(draw, data)
    j = min(len(data), i + draw(st.integers(1, 200)))
    return data[:i] + data[i:j] * draw(st.sampled_from([2, 100, 5_000])) + data[j:]


MUTATIONS: list[Mutation] = [
    flip_bytes,
    truncate,
    splice,
    insert_nuls,
    insert_random,
    huge_attribute,
    huge_text,
    deep_nesting,
    unclosed_tags,
    bogus_charset,
    reencode,
    repeat_region,
]


def suffix_for(draw: st.DrawFn, native: str) -> str:
    # Mostly the file's own format; sometimes the wrong one, as when users rename files.
    return native if draw(st.integers(0, 3)) else draw(st.sampled_from(SUFFIXES))


def mutate(draw: st.DrawFn, data: bytes, extra: list[Mutation]) -> bytes:
    choices = MUTATIONS + extra * 3  # format-specific mutations come up more often
    for _ in range(draw(st.integers(1, 4))):
        data = draw(st.sampled_from(choices))(draw, data)
    return data


# --- MHTML-specific damage -------------------------------------------------------------------------


def break_boundary(draw: st.DrawFn, data: bytes) -> bytes:
    head, sep, tail = data.partition(b"boundary=")
    if not sep:
        return data
    kind = draw(st.integers(0, 4))
    if kind == 0:  # declared boundary no longer matches the parts
        return head + sep + b'"' + draw(st.binary(max_size=40)) + b'"' + tail.split(b"\n", 1)[-1]
    if kind == 1:  # no boundary value at all
        return head + b"boundary=;" + tail
    if kind == 2:  # closing delimiter removed
        return data.replace(b"--\r\n", b"\r\n").rstrip(b"-\r\n")
    if kind == 3:  # parts with no blank line between headers and body
        return data.replace(b"\r\n\r\n", b"\r\n").replace(b"\n\n", b"\n")
    return data.replace(b"multipart/related", draw(st.sampled_from([b"multipart/mixed", b"text/plain", b"multipart/"])))


def bad_base64(draw: st.DrawFn, data: bytes) -> bytes:
    data = data.replace(b"quoted-printable", b"base64")
    junk = draw(st.sampled_from([b"!!!@@@", b"====", b"=", b"A", b"\x00", b"\xff\xfe", b"-", b"Zm9v\nYmFy=x"]))
    return insert(draw, data, junk)


def bad_quoted_printable(draw: st.DrawFn, data: bytes) -> bytes:
    data = data.replace(b"base64", b"quoted-printable")
    junk = draw(st.sampled_from([b"=ZZ", b"=\r\n", b"=", b"=E2=80", b"=\n=\n=\n", b"=0", b"=C3", b"=00=00"]))
    return insert(draw, data, junk) if draw(st.booleans()) else data + junk


def bad_transfer_encoding(draw: st.DrawFn, data: bytes) -> bytes:
    cte = draw(
        st.sampled_from(
            [b"x-uuencode", b"uuencode", b"binary", b"8bit", b"7bit", b"x-bogus", b"", b"base64 garbage", b"BASE64"]
        )
    )
    for known in (b"quoted-printable", b"base64"):
        data = data.replace(b"Content-Transfer-Encoding: " + known, b"Content-Transfer-Encoding: " + cte)
    return data


def bad_headers(draw: st.DrawFn, data: bytes) -> bytes:
    header = draw(
        st.sampled_from(
            [
                b"Subject: =?bogus?Q?hello?=\r\n",
                b"Subject: =?utf-8?B?!!!?=\r\n",
                b"Subject: =?utf-8?Q?=ZZ?=\r\n",
                b"Subject: " + b"x" * 200_000 + b"\r\n",
                b"Subject: \xff\xfe\x80\r\n",
                b'Content-Type: multipart/related; start="<nowhere>"; boundary="b"\r\n',
                b'Content-Type: text/html; charset=""\r\n',
                b"Content-Type: ;;;\r\n",
                b"Snapshot-Content-Location: \x00\r\n",
                b"MIME-Version: 1.0\r\n",
                b" folded continuation without a header\r\n",
            ]
        )
    )
    return header + data if draw(st.booleans()) else insert(draw, data, header)


MHTML_MUTATIONS: list[Mutation] = [
    break_boundary,
    bad_base64,
    bad_quoted_printable,
    bad_transfer_encoding,
    bad_headers,
]


# --- Markdown-specific damage ----------------------------------------------------------------------

BROKEN_FRONT_MATTER = [
    b'---\ntitle: "unclosed\n',
    b"---\ntitle: Update: talks resume: again\ndate: 2024-13-45\n---\n",
    b"---\n" + b"".join(b"l%d: &a%d [*a%d, *a%d, *a%d, *a%d]\n" % (i, i + 1, i, i, i, i) for i in range(12)) + b"---\n",
    b"---\na: &a [*a]\ntitle: *a\n---\n",
    b"---\ntitle: !!python/object/apply:os.system ['true']\n---\n",
    b"---\ntitle: " + b"[" * 5000 + b"\n---\n",
    b"---\ntitle: " + b"{a: " * 3000 + b"\n---\n",
    b"---\n\ttitle: tabs\n---\n",
    b"---\ndate: 1e999999\npublished: 99999999999999999999999\n---\n",
    b"---\ndate: !!timestamp 'garbage'\n---\n",
    b"---\ndate: 0000-00-00\nlang: zz-ZZ-zz\n---\n",
    b"---\ntitle: [1, {name: 2}, [3]]\nauthor: {name: [x]}\n---\n",
    b"---\n- a list\n- not a mapping\n---\n",
    b"---\n---\n",
    b"---\n...\n",
    b"---",
    b"+++\ntitle = \n+++\n",
    b"+++\ndate = 1979-05-27T07:32:00Z\ntitle = 'ok'\n+++\n",
    b"+++\ndate = 9999-99-99\n+++\n",
    b"+++\n[[[[\n+++\n",
    b"---\r\ntitle: CRLF\r\n---\r\n",
    b"\xef\xbb\xbf---\ntitle: BOM first\n---\n",
    b"---\ntitle: \x00\x01\x02\n---\n",
]


def broken_front_matter(draw: st.DrawFn, data: bytes) -> bytes:
    if data.startswith((b"---", b"+++")):
        end = data.find(b"\n---", 3)
        data = data[end + 4 :] if end >= 0 and draw(st.booleans()) else data
    front = draw(st.one_of(st.sampled_from(BROKEN_FRONT_MATTER), _random_front_matter()))
    return front + data


@st.composite
def _random_front_matter(draw: st.DrawFn) -> bytes:
    fence = draw(st.sampled_from(["---", "+++"]))
    key = draw(st.sampled_from(["title", "date", "author", "url", "site", "lang", "tags", "source", "x"]))
    value = draw(st.text(max_size=80))
    closing = fence if draw(st.booleans()) else ""
    return f"{fence}\n{key}: {value}\n{closing}\n".encode("utf-8", "surrogatepass")


MARKDOWN_BODIES = [
    b"# " + b"#" * 10_000 + b"\n",
    b"> " * 5_000 + b"quote\n",
    b"- " * 5_000 + b"item\n",
    b"*" * 20_000 + b"\n",
    b"[a](" * 5_000 + b"\n",
    b"`" * 20_000 + b"\n",
    b"| a | b |\n|---|---|\n" + b"| x | y |\n" * 2_000,
    b"<script>alert(1)</script>\n",
    b"![img](javascript:alert(1))\n",
]


def markdown_body(draw: st.DrawFn, data: bytes) -> bytes:
    return insert(draw, data, draw(st.sampled_from(MARKDOWN_BODIES)))


MARKDOWN_MUTATIONS: list[Mutation] = [broken_front_matter, markdown_body]


# --- strategies ----------------------------------------------------------------------------------


@st.composite
def random_inputs(draw: st.DrawFn) -> tuple[bytes, str]:
    prefix = draw(st.sampled_from([b"", b"<html>", b"MIME-Version: 1.0\r\n", b"---\n", b"\xef\xbb\xbf", b"\xff\xfe"]))
    if draw(st.booleans()):
        body = draw(st.binary(min_size=1, max_size=2048))
    else:
        text = draw(st.text(min_size=1, max_size=1024))
        body = text.encode(draw(st.sampled_from(ENCODINGS)), "replace")
    return prefix + body, draw(st.sampled_from(SUFFIXES))


@st.composite
def mutated_inputs(draw: st.DrawFn) -> tuple[bytes, str]:
    native, data = draw(st.sampled_from(SEEDS))
    return mutate(draw, data, []), suffix_for(draw, native)


@st.composite
def mutated_mhtml(draw: st.DrawFn) -> tuple[bytes, str]:
    data = draw(st.sampled_from(MHTML_SEEDS))
    return mutate(draw, data, MHTML_MUTATIONS), suffix_for(draw, draw(st.sampled_from([".mhtml", ".mht"])))


@st.composite
def mutated_markdown(draw: st.DrawFn) -> tuple[bytes, str]:
    data = draw(st.sampled_from(MARKDOWN_SEEDS))
    return mutate(draw, data, MARKDOWN_MUTATIONS), suffix_for(draw, draw(st.sampled_from([".md", ".markdown"])))


# --- tests ---------------------------------------------------------------------------------------


def test_the_seed_files_are_real_articles_of_every_format() -> None:
    assert {suffix for suffix, _ in SEEDS} >= {".html", ".mhtml", ".md", ".txt"}
    assert MHTML_SEEDS
    assert MARKDOWN_SEEDS


def test_random_bytes_are_prepared_or_failed_with_a_reason(tmp_path: Path, capsys, record_property) -> None:  # type: ignore[no-untyped-def]
    run("random", random_inputs(), tmp_path, capsys, record_property)


def test_mutated_real_files_are_prepared_or_failed_with_a_reason(tmp_path: Path, capsys, record_property) -> None:  # type: ignore[no-untyped-def]
    run("mutated", mutated_inputs(), tmp_path, capsys, record_property)


def test_broken_mhtml_is_prepared_or_failed_with_a_reason(tmp_path: Path, capsys, record_property) -> None:  # type: ignore[no-untyped-def]
    run("mhtml", mutated_mhtml(), tmp_path, capsys, record_property)


def test_broken_markdown_is_prepared_or_failed_with_a_reason(tmp_path: Path, capsys, record_property) -> None:  # type: ignore[no-untyped-def]
    run("markdown", mutated_markdown(), tmp_path, capsys, record_property)


# --- regressions: inputs the fuzzer found, shrunk ----------------------------------------------------


def prepare(tmp_path: Path, name: str, data: bytes) -> tuple[PreparedArticle | FailedFile, float]:
    path = tmp_path / name
    path.write_bytes(data)
    start = time.perf_counter()
    [result] = preparation.prepare_many([path], None)
    return result, time.perf_counter() - start


@pytest.mark.parametrize(
    ("before", "inside"),
    [
        (b"\x01", b""),  # the shrunk input: one control byte before a real page
        (b"", b"\x02\x0b"),
        (b"", b"&#1;"),  # libxml2 makes the character from a reference, too
        (b"", b"&#xFFFE;&#12;"),
    ],
)
def test_control_characters_in_a_page_do_not_break_cleaning(tmp_path: Path, before: bytes, inside: bytes) -> None:
    page = (DATA / "formats" / "page.html").read_bytes()
    # Cleaning drops the figure before this paragraph, which moves the paragraph's text.
    page = page.replace(b"</figure>", b"</figure>" + inside)
    result, _ = prepare(tmp_path, "page.html", before + page)
    assert isinstance(result, PreparedArticle), result
    assert "Port Alder" in result.clean.text
    assert not any(ch in result.clean.text for ch in "\x01\x02\x0b\x0c\ufffe")


def test_broken_front_matter_with_long_runs_of_tabs_is_read_quickly(tmp_path: Path) -> None:
    # Was 25 s: the salvage regex for broken YAML backtracked quadratically over the tabs.
    front = b'---\ntitle: "Robotics"\nurl: https://school.exam' + b"\t" * 35_000
    front += b"\x19" + b"\t" * 35_000  # the control character makes the YAML invalid
    front += b"ple.edu/news\n---\n\n# Robotics club wins\n\nThe club won.\n"
    result, seconds = prepare(tmp_path, "note.md", front)
    assert isinstance(result, PreparedArticle), result
    assert result.clean.meta.title == "Robotics"
    assert seconds < 3


@pytest.mark.parametrize("tag", [b"!!timestamp 'garbage'", b"!!bool maybe", b"!!int x", b"!!timestamp 2024-99-99"])
def test_front_matter_with_a_bad_yaml_tag_is_salvaged(tmp_path: Path, tag: bytes) -> None:
    # "!!timestamp 'garbage'" made PyYAML raise AttributeError, which escaped the YAML fallback.
    note = b"---\ndate: " + tag + b'\ntitle: "Robotics"\n---\n\nThe club won on Friday.\n'
    result, _ = prepare(tmp_path, "note.md", note)
    assert isinstance(result, PreparedArticle), result
    assert result.clean.meta.title == "Robotics"
    assert result.clean.text == "The club won on Friday."


@pytest.mark.parametrize("unit", [b"cookie ", b"@.", b"a@"])
def test_a_long_line_is_not_checked_for_furniture_in_quadratic_time(tmp_path: Path, unit: bytes) -> None:
    # Was 8 s for 8,000 "cookie " (and growing with the square of the line's length).
    line = unit * (60_000 // len(unit))
    result, seconds = prepare(tmp_path, "page.html", b"<article><h1>Cookies</h1><p>" + line + b"</p></article>")
    assert isinstance(result, PreparedArticle), result
    assert seconds < 3


@pytest.mark.parametrize("unclosed", [b"<style>x", b"<!--x", b"<noscript>x", b"<a", b"<p"])
def test_an_over_deep_page_full_of_unclosed_tags_is_flattened_quickly(tmp_path: Path, unclosed: bytes) -> None:
    # Was 11 s: the flat reading of over-deep pages rescanned to the end for each unclosed tag.
    page = b"<div>" * 300 + b"<p>Deep text survives.</p>" + unclosed * 20_000
    result, seconds = prepare(tmp_path, "page.html", page)
    assert isinstance(result, PreparedArticle), result
    assert result.clean.text.startswith("Deep text survives.")
    assert seconds < 3


# --- the size limit ----------------------------------------------------------------------------------


def test_a_file_over_the_size_limit_fails_at_once_with_the_limit_named(tmp_path: Path) -> None:
    path = tmp_path / "enormous.html"
    with path.open("wb") as handle:  # sparse: nothing is written, only the size is set
        handle.truncate(file_readers.MAX_BYTES + 1)
    start = time.perf_counter()
    [result] = preparation.prepare_many([path], None)
    assert isinstance(result, FailedFile)
    assert result.reason == "file is larger than 50 MB"
    assert time.perf_counter() - start < 1.0  # judged by its size, never read


def test_the_size_limit_is_named_in_the_unit_it_was_set_in(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(b"<p>" + b"word " * 400 + b"</p>")
    with pytest.raises(ImportFailed, match="file is larger than 1 KB"):
        file_readers.read_file(path, max_bytes=1024)
