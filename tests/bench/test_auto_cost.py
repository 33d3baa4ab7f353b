"""The cost measure of the automatic entity passes, on a few gold articles with the real model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from desktop_reader.bench import auto_cost
from desktop_reader.bench.entity_eval import GOLD_DIR


def test_plain_grouping_keeps_every_span_by_name_and_label() -> None:
    spans = [("Veltham", "PERSON", 0, 7), ("Veltham", "PERSON", 20, 27), ("Veltham", "GPE", 40, 47)]
    found = {(e.text, e.label, e.count) for e in auto_cost.plain(spans)}
    assert found == {("Veltham", "PERSON", 2), ("Veltham", "GPE", 1)}


def test_reports_the_passes_against_recognition(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("19.txt", "20.txt"):
        shutil.copy(GOLD_DIR / name, tmp_path / name)
    auto_cost.main([str(tmp_path), "--repeat", "1"])
    out = json.loads(capsys.readouterr().out)
    assert out["articles"] == 2
    assert out["ner_cpu_s"] > 0
    assert 0 <= out["per_article_passes_vs_ner"] < 1
