"""Tests for text_decoding: BOMs, declared charsets, strict UTF-8, detection and binary refusal."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_reader.errors import ImportFailed
from desktop_reader.importing.decoding import declared_charset, decode, decode_detailed, sniff_binary
from tests.helpers import DATA

FORMATS = DATA / "formats"
SOURCE = Path("article.txt")

FRENCH = "Le café a rouvert mardi. « C’est une belle journée », a dit Renée. Un croissant coûte 1,20 €."
RUSSIAN = "Городской совет утвердил новый бюджет на следующий год. Жители довольны решением."
JAPANESE = (
    "東京都内の図書館は、今月から平日の夜九時まで開館時間を延長すると発表した。利用者の要望が多かったという。"
)


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_byte_order_mark_decides_and_is_removed(bom: bytes, encoding: str) -> None:
    result = decode_detailed(bom + FRENCH.encode(encoding), SOURCE)
    assert result.text == FRENCH
    assert (result.encoding, result.source) == (encoding, "bom")


def test_bom_outranks_a_contradicting_meta() -> None:
    page = '<meta charset="windows-1252"><p>Zürich – Genève</p>'
    assert decode(codecs.BOM_UTF8 + page.encode("utf-8"), SOURCE, markup=True) == page


@pytest.mark.parametrize(
    "meta",
    [
        '<meta charset="windows-1251">',
        "<meta charset=windows-1251>",
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">',
        "<META CONTENT='text/html; charset=windows-1251' HTTP-EQUIV='content-type'>",
    ],
)
def test_meta_charset_is_obeyed(meta: str) -> None:
    page = f"<html><head>{meta}<title>Совет</title></head><body><p>{RUSSIAN}</p></body></html>"
    result = decode_detailed(page.encode("cp1251"), SOURCE, markup=True)
    assert result.text == page
    assert result.source == "declared"


def test_meta_is_ignored_for_plain_text() -> None:
    # A .txt that mentions a meta tag is not an HTML page declaring a charset.
    text = f'Use <meta charset="koi8-r"> in your page. {FRENCH}'
    assert decode(text.encode("utf-8"), SOURCE) == text


def test_xml_declaration_is_obeyed() -> None:
    page = f'<?xml version="1.0" encoding="ISO-8859-5"?><html><p>{RUSSIAN}</p></html>'
    assert decode(page.encode("iso-8859-5"), SOURCE, markup=True) == page


def test_declared_charset_ignores_meta_after_the_first_kilobytes() -> None:
    head = b"<html><head>" + b"<!-- padding -->" * 400
    assert declared_charset(head + b'<meta charset="koi8-r">') is None
    assert declared_charset(b'<meta charset="koi8-r">' + head) == "koi8-r"


def test_mime_charset_from_the_caller_is_used() -> None:
    assert decode(JAPANESE.encode("shift_jis"), SOURCE, charset="Shift_JIS") == JAPANESE


def test_latin1_label_means_windows_1252_like_browsers() -> None:
    # 0x80 and 0x92 are control codes in ISO-8859-1 but € and ’ in what was really written.
    data = "It’s €5.".encode("cp1252")
    assert decode(data, SOURCE, charset="iso-8859-1") == "It’s €5."


def test_wrong_declared_charset_falls_back_to_detection() -> None:
    page = f"<html><head><meta charset='utf-8'></head><body><p>{FRENCH}</p>" * 3 + "</body></html>"
    result = decode_detailed(page.encode("cp1252"), SOURCE, markup=True)
    assert result.text == page
    assert result.source == "detected"


def test_utf8_outranks_a_declared_legacy_charset() -> None:
    page = f'<meta charset="iso-8859-1"><p>{FRENCH}</p>'
    assert decode(page.encode("utf-8"), SOURCE, markup=True) == page


@pytest.mark.parametrize("label", ["x-no-such-charset", "unicode_escape", "utf-7", "base64", ""])
def test_unusable_declared_charsets_are_ignored(label: str) -> None:
    text = "caf\\u00e9 +ADw-script+AD4- costs 3 €"
    assert decode(text.encode("utf-8"), SOURCE, charset=label) == text


def test_strict_utf8_comes_before_detection() -> None:
    result = decode_detailed(FRENCH.encode("utf-8"), SOURCE)
    assert (result.text, result.source) == (FRENCH, "utf-8")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "shift_jis.txt",
            "館長の山田花子さんは「静かに本を読める場所を、もっと多くの人に使ってほしい」と話した。",
        ),
        ("gb2312.txt", "市政府负责人王明表示，这个项目将为周边居民提供更多学习和交流的机会。"),
        ("cp1252_undeclared.html", "“It’s like coming home,” said the owner, Renée Fauchard."),
        ("cp1252_undeclared.html", "A coffee now costs €1.80"),
    ],
)
def test_undeclared_legacy_encodings_are_detected(name: str, expected: str) -> None:
    result = decode_detailed((FORMATS / name).read_bytes(), SOURCE, markup=name.endswith(".html"))
    assert expected in result.text
    assert "\ufffd" not in result.text
    assert result.source == "detected"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (FRENCH, "cp1252"),  # short: cp775 and cp1250 read it just as "cleanly"
        ("Der Bürgermeister begrüßte die Entscheidung. Die Straße kostet 2,5 Mio. €.", "cp1252"),
        ("El niño comió piña en la montaña. La señora Muñoz pagó 12 € por el año. " * 5, "cp1252"),
        (
            "Rada miasta zatwierdziła nowy budżet. Mieszkańcy są zadowoleni, a Łukasz Żółtowski dziękuje.",
            "cp1250",
        ),
        (RUSSIAN, "cp1251"),
        ((RUSSIAN + " Мэр города заявил, что средства пойдут на ремонт школ и больниц.") * 2, "koi8-r"),
    ],
)
def test_undeclared_single_byte_text_is_detected(text: str, encoding: str) -> None:
    assert decode(text.encode(encoding), SOURCE) == text


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised(encoding: str) -> None:
    text = f"Plain English mostly, with a café.\n{FRENCH}\n"
    assert decode(text.encode(encoding), SOURCE) == text


def test_utf16_without_bom_in_japanese_is_detected() -> None:
    text = JAPANESE + " 2025年3月、ABC社。"
    assert decode(text.encode("utf-16-le"), SOURCE) == text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks like a PNG image, not text"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "looks like a JPEG image, not text"),
        (b"GIF89a\x01\x00\x01\x00\x80\x00\x00", "looks like a GIF image, not text"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "looks like a PDF document, not text"),
        (b"PK\x03\x04\x14\x00\x06\x00", "looks like a ZIP archive (or an Office document), not text"),
        (b"Some text\x00with\x00zero bytes\x00in it", "binary data, not text"),
    ],
)
def test_binary_data_is_refused_with_a_specific_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ImportFailed) as caught:
        decode(data, SOURCE)
    assert caught.value.reason == reason
    assert str(caught.value).startswith("article.txt: ")


@pytest.mark.parametrize("seed", range(8))
def test_random_bytes_are_binary(seed: int) -> None:
    data = random.Random(seed).randbytes(600)
    for sample in (data, data.replace(b"\x00", b"")):
        with pytest.raises(ImportFailed, match="binary data, not text"):
            decode(sample, SOURCE)


@pytest.mark.parametrize("start", ["BMW recalls", "ID3 tags", "MZ Motors", "GIF89a is a format", "OggS"])
def test_sentences_starting_like_a_magic_number_are_text(start: str) -> None:
    text = f"{start} and the story goes on."
    assert sniff_binary(text.encode()) is None
    assert decode(text.encode(), SOURCE) == text


def test_empty_bytes_decode_to_empty_text() -> None:
    assert decode(b"", SOURCE) == ""


# Characters an article can contain: anything but control codes, surrogates and a leading BOM.
_article_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufeff"), min_size=1
).map(lambda s: s + "\n")


@settings(max_examples=150, deadline=None)
@given(_article_text)
def test_any_utf8_text_round_trips(text: str) -> None:
    if sniff_binary(text.encode("utf-8")):
        return
    assert decode(text.encode("utf-8"), SOURCE) == text


@settings(max_examples=150, deadline=None)
@given(_article_text)
def test_any_text_with_a_bom_round_trips(text: str) -> None:
    for encoding in ("utf-8-sig", "utf-16", "utf-32"):
        assert decode(text.encode(encoding), SOURCE) == text


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from([None, "utf-8", "shift_jis", "koi8-r", "bogus"]))
def test_arbitrary_bytes_give_text_or_import_failed(data: bytes, charset: str | None) -> None:
    try:
        text = decode(data, SOURCE, charset=charset, markup=True)
    except ImportFailed:
        return
    assert isinstance(text, str)
    assert "\x00" not in text
