"""Tests for desktop_reader.importing.language: a text's language from its words, or "" when unsure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


_ENGLISH = "The harbour board voted on Tuesday to replace the old swing bridge with a lifting span."


def _detect_in_new_process(home: Path, preamble: str = "") -> subprocess.CompletedProcess[str]:
    script = (
        preamble + "from desktop_reader.importing.language import detect_language;"
        f"print(repr(detect_language({_ENGLISH!r})))"
    )
    env = {**os.environ, "DESKTOP_READER_CACHE": str(home)}
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env)


def test_the_unpacked_model_is_kept_and_mapped_by_later_processes(tmp_path: Path) -> None:
    first = _detect_in_new_process(tmp_path)
    assert (first.returncode, first.stdout.strip()) == (0, "'en'"), first.stderr
    (unpacked,) = tmp_path.glob("langid-*")
    sizes = {f.name: f.stat().st_size for f in unpacked.iterdir()}
    assert sizes["nextmove.npy"] > 10_000_000  # the real model, not a stub
    # A later process must use that copy: with writing forbidden it could not unpack another one.
    again = _detect_in_new_process(tmp_path, "import resource; resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0));")
    assert (again.returncode, again.stdout.strip()) == (0, "'en'"), again.stderr


def test_a_damaged_unpacked_model_is_not_used(tmp_path: Path) -> None:
    assert _detect_in_new_process(tmp_path).returncode == 0
    (unpacked,) = tmp_path.glob("langid-*")
    (unpacked / "pc.npy").write_bytes(b"not an array")
    done = _detect_in_new_process(tmp_path)
    assert (done.returncode, done.stdout.strip()) == (0, "'en'"), done.stderr
    assert (unpacked / "pc.npy").stat().st_size > len(b"not an array")  # unpacked again, not left broken


def test_a_model_that_cannot_be_unpacked_gives_no_language_not_an_error(tmp_path: Path) -> None:
    # The model is unpacked through files: under a file-size limit (or on a full disk) that write fails,
    # and the article must still import, only without a language.
    env = {**os.environ, "DESKTOP_READER_CACHE": str(tmp_path)}  # an empty cache: the unpacking must happen
    script = (
        "import resource; resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096));"
        "from desktop_reader.importing.language import detect_language;"
        "print(repr(detect_language('The harbour board voted on Tuesday to replace the old swing bridge.')))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "''"
