"""Tests for desktop_reader.importing.language: a text's language from its words, or "" when unsure."""

from __future__ import annotations

import subprocess
import sys

import pytest

from desktop_reader.importing.language import detect_language


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The harbour board voted on Tuesday to replace the old swing bridge with a lifting span.", "en"),
        ("Der Hafenrat hat am Dienstag beschlossen, die alte Drehbrücke durch eine Hubbrücke zu ersetzen.", "de"),
        ("O conselho do porto decidiu na terça-feira substituir a velha ponte giratória por uma nova.", "pt"),
        ("Совет порта во вторник решил заменить старый разводной мост новым подъёмным пролётом.", "ru"),
        ("항만 위원회는 오래된 회전교를 새로운 승강교로 교체하기로 결정했으며 공사는 봄에 시작된다고 밝혔다.", "ko"),
    ],
)
def test_language_of_a_paragraph(text: str, code: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize("text", ["", "ok", "12 345 678 — 2024-05-02", "Brussels: At a"])
def test_too_little_text_gives_no_language(text: str) -> None:
    assert detect_language(text) == ""


def test_a_model_that_cannot_be_unpacked_gives_no_language_not_an_error() -> None:
    # py3langid unpacks its model through a temporary file: under a file-size limit (or on a full disk) that
    # write fails, and the article must still import, only without a language.
    script = (
        "import resource; resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096));"
        "from desktop_reader.importing.language import detect_language;"
        "print(repr(detect_language('The harbour board voted on Tuesday to replace the old swing bridge.')))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "''"
