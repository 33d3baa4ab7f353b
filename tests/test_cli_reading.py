"""The reading layer's command line: tag, untag, note, highlight, mark, saved, export, and the JSON it adds."""

import json

import pytest
import rispy

from desktop_reader.cli import commands as cli
from tests.helpers import SAMPLES


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def jsonl(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture
def data(capsys, tmp_path):
    data = ["--data-dir", str(tmp_path / "d")]
    assert run(capsys, *data, "import", str(SAMPLES), "--no-entities")[0] == 0
    return data


def _fishermen(capsys, data):
    code, out, _ = run(capsys, *data, "search", "fishermen compensation", "--json", "--limit", "1")
    return jsonl(out)[0]["id"]


def test_tag_note_highlight_mark_show_up_in_show_and_search(capsys, data):
    a = _fishermen(capsys, data)
    assert run(capsys, *data, "tag", str(a), "Court", "to read")[:2] == (0, f"{a}: Court, to read\n")
    assert run(capsys, *data, "untag", str(a), "to read")[0] == 0
    assert run(capsys, *data, "note", str(a), "Appeal *likely*")[0] == 0
    code, out, _ = run(capsys, *data, "highlight", str(a), "ruled on Tuesday", "--note", "key", "--color", "blue")
    assert code == 0 and out.startswith("highlight ")
    assert run(capsys, *data, "mark", str(a), "read")[0] == 0

    code, out, _ = run(capsys, *data, "show", str(a), "--json")
    shown = json.loads(out)
    assert shown["tags"] == ["Court"] and shown["note"] == "Appeal *likely*" and shown["read"] is True
    (h,) = shown["highlights"]
    assert {k: h[k] for k in ("quote", "note", "color")} == {
        "quote": "ruled on Tuesday",
        "note": "key",
        "color": "blue",
    }
    assert shown["text"][h["start"] : h["end"]] == "ruled on Tuesday"

    code, out, _ = run(capsys, *data, "search", "tag:court is:read has:note has:highlight note:likely", "--json")
    (hit,) = jsonl(out)
    assert (hit["id"], hit["tags"], hit["read"]) == (a, ["Court"], True)

    assert run(capsys, *data, "note", str(a), "")[0] == 0
    assert run(capsys, *data, "mark", str(a), "unread")[0] == 0
    code, out, _ = run(capsys, *data, "show", str(a), "--json")
    assert json.loads(out)["note"] == "" and json.loads(out)["read"] is False


def test_highlight_of_a_quote_not_in_the_text_exits_1_with_a_clear_message(capsys, data):
    a = _fishermen(capsys, data)
    code, out, err = run(capsys, *data, "highlight", str(a), "the moon is made of cheese")
    assert code == 1 and out == ""
    assert "'the moon is made of cheese' is not in the text of article" in err and "Traceback" not in err
    assert run(capsys, *data, "tag", "999999", "x")[0] == 1


def test_saved_searches_add_list_delete(capsys, data):
    a = _fishermen(capsys, data)
    run(capsys, *data, "tag", str(a), "court")
    code, out, _ = run(capsys, *data, "saved", "add", "Court cases", "tag:court")
    assert code == 0 and out.strip() == "saved 'Court cases': 1 result"
    code, out, _ = run(capsys, *data, "saved", "list", "--json")
    assert jsonl(out) == [{"name": "Court cases", "query": "tag:court", "count": 1, "new": 0}]
    run(capsys, *data, "tag", "1" if a != 1 else "2", "court")
    code, out, _ = run(capsys, *data, "saved", "list", "--json")
    assert jsonl(out) == [{"name": "Court cases", "query": "tag:court", "count": 2, "new": 1}]
    assert run(capsys, *data, "saved", "delete", "Court cases")[0] == 0
    assert run(capsys, *data, "saved", "list", "--json")[1] == ""
    assert run(capsys, *data, "saved", "delete", "Court cases")[0] == 1


def test_export_writes_every_result_to_a_file_or_stdout(capsys, data, tmp_path):
    a = _fishermen(capsys, data)
    run(capsys, *data, "tag", str(a), "court")
    code, out, err = run(capsys, *data, "export", "tag:court", "--format", "ris")
    (ref,) = rispy.loads(out)
    assert code == 0 and ref["keywords"] == ["court"] and "exported 1 article" in err
    target = tmp_path / "all.json"
    code, out, err = run(capsys, *data, "export", "", "--format", "csljson", "-o", str(target))
    assert code == 0 and out == ""
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 10
    assert run(capsys, *data, "export", "", "--format", "docx")[0] == 2
    run(capsys, *data, "saved", "add", "Court", "tag:court")
    code, out, _ = run(capsys, *data, "export", "ignored", "--saved", "court", "--format", "md")
    assert code == 0 and out.startswith("# Court\n") and out.count("\n## ") == 1
