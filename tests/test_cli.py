"""The command line contract that scripts, the window and the tests build on."""

import json
import subprocess
import sys

import pytest

from desktop_reader.cli import commands as cli
from tests.helpers import REPO, SAMPLES, shared

SUBCOMMANDS = ["import", "search", "show", "entities", "extract", "stats", "delete", "reindex", "gui"]
SUBCOMMANDS += ["tag", "untag", "tags", "note", "highlight", "mark", "saved", "export"]  # the reading layer


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def jsonl(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_every_subcommand_has_help_text():
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert sorted(sub.choices) == sorted(SUBCOMMANDS)
    for action in sub._choices_actions:
        assert action.help, action.dest


def test_usage_error_exits_2(capsys):
    assert run(capsys, "import")[0] == 2
    assert run(capsys, "frobnicate")[0] == 2
    assert run(capsys, "show", "not-a-number")[0] == 2


def test_import_search_show_stats_delete_round_trip(capsys, tmp_path):
    data = ["--data-dir", str(tmp_path / "d")]
    code, out, _ = run(capsys, *data, "import", str(SAMPLES), "--json", "--no-entities")
    assert code == 0
    lines = jsonl(out)
    assert lines and all(set(o) == {"path", "status", "id", "title", "error", "warnings", "member"} for o in lines)
    assert {o["status"] for o in lines} == {"imported"}

    code, out, _ = run(capsys, *data, "stats", "--json")
    stats = json.loads(out)
    assert stats["articles"] == stats["index_docs"] == len(lines)
    assert stats["data_dir"] == str((tmp_path / "d" / "data").resolve())

    code, out, _ = run(capsys, *data, "search", "café", "--json", "--limit", "5")
    hits = jsonl(out)
    assert code == 0 and hits
    assert set(hits[0]) == {
        "id",
        "title",
        "score",
        "snippet",
        "snippet_matches",
        "site",
        "url",
        "published",
        "source_path",
        "tags",
        "read",
    }

    code, out, _ = run(capsys, *data, "show", str(hits[0]["id"]), "--json")
    article = json.loads(out)
    assert {
        "id",
        "title",
        "text",
        "author",
        "published",
        "site",
        "url",
        "language",
        "source_path",
        "imported_at",
        "entities",
    } <= set(article)
    assert article["entities"] == []

    assert run(capsys, *data, "delete", str(hits[0]["id"]))[0] == 0
    code, _, err = run(capsys, *data, "show", str(hits[0]["id"]))
    assert code == 1 and f"No article with id {hits[0]['id']}" in err and "Traceback" not in err


def test_import_exit_code_is_1_when_a_file_failed_and_others_still_import(capsys, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Good title\n\nSome body about river barges.\n", encoding="utf-8")
    bad = tmp_path / "bad.html"
    bad.write_bytes(b"")
    code, out, _ = run(capsys, "--data-dir", str(tmp_path / "d"), "import", str(good), str(bad), "--json")
    assert code == 1
    statuses = {o["path"]: o for o in jsonl(out)}
    assert statuses[str(good)]["status"] == "imported"
    assert statuses[str(bad)]["status"] == "failed"
    assert "bad.html" in statuses[str(bad)]["error"] or statuses[str(bad)]["error"]


def test_malformed_queries_never_crash(capsys, tmp_path):
    data = ["--data-dir", str(tmp_path / "d")]
    run(capsys, *data, "import", str(SAMPLES), "--no-entities")
    for query in ['"unbalanced', "(open", "close)", "AND", "title:", "published:[2020 TO", "~*?", "NOT"]:
        code, _, err = run(capsys, *data, "search", query, "--json")
        assert code in (0, 1), query
        assert "Traceback" not in err


def test_environment_variable_chooses_the_data_folder(capsys, home):
    code, out, _ = run(capsys, "stats", "--json")
    assert json.loads(out)["data_dir"] == str(home / "data")


def test_extract_runs_the_pipeline_without_storing(capsys, home):
    seed = shared("seed", "000_1f109518f829ab6e.txt")
    code, out, _ = run(capsys, "extract", str(seed), "--json")
    (obj,) = jsonl(out)
    assert code == 0 and obj["error"] == ""
    assert obj["title"].startswith("No Clear Path Yet")
    assert any(e["text"] == "Mark Rutte" and e["label"] == "PERSON" for e in obj["entities"])
    assert not (home / "data" / "library.sqlite3").exists()


def test_module_entry_point_runs():
    result = subprocess.run(
        [sys.executable, "-m", "desktop_reader", "--help"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 0
    assert "import" in result.stdout and "search" in result.stdout


@pytest.mark.parametrize("command", ["reindex"])
def test_reindex_keeps_everything_searchable(capsys, tmp_path, command):
    data = ["--data-dir", str(tmp_path / "d")]
    run(capsys, *data, "import", str(SAMPLES), "--no-entities")
    assert run(capsys, *data, command)[0] == 0
    stats = json.loads(run(capsys, *data, "stats", "--json")[1])
    assert stats["articles"] == stats["index_docs"] > 0


def test_files_without_a_command_open_the_window_with_them():
    assert cli._paths_to_open(["--data-dir", "/x", str(SAMPLES)]) == (["--data-dir", "/x"], [SAMPLES])
    assert cli._paths_to_open(["search", "x"]) is None
    assert cli._paths_to_open(["no-such-command"]) is None


def test_missing_model_still_imports_and_entities_refresh_fills_them_in(capsys, tmp_path):
    seed = shared("seed", "000_1f109518f829ab6e.txt")
    data = ["--data-dir", str(tmp_path / "d")]
    code, _, err = run(capsys, *data, "import", str(seed), "--model", "en_core_web_no_such_model")
    assert code == 0
    assert "entities --refresh" in err
    code, out, err = run(capsys, *data, "entities", "--refresh", "--type", "PERSON", "--json")
    assert code == 0
    assert any(e["text"] == "Mark Rutte" for e in jsonl(out))


def test_search_prints_snippets_counts_and_no_empty_site(capsys, tmp_path):
    data = ["--data-dir", str(tmp_path / "d")]
    folder = tmp_path / "in"
    folder.mkdir()
    text = "Lighthouse keepers\n\nThe keepers of the northern lighthouse logged every passing trawler.\n"
    (folder / "a.txt").write_text(text)
    (folder / "b.txt").write_text(text)  # same content: one duplicate
    code, _, err = run(capsys, *data, "import", str(folder), "--no-entities")
    assert code == 0 and "1 imported, 1 duplicate, 0 failed" in err

    code, out, err = run(capsys, *data, "search", "trawler")
    assert code == 0
    title_line, snippet_line = out.splitlines()
    assert title_line.endswith("Lighthouse keepers") and "[]" not in title_line
    assert "[trawler]" in snippet_line and "<b" not in snippet_line
    assert err.strip().endswith("1 result")

    code, out, err = run(capsys, *data, "search", "zeppelin", "--json")
    assert code == 0 and out == "" and err.strip().endswith("0 results")


def test_plain_snippets_mark_matches_on_one_line():
    from desktop_reader.cli.output import plain_snippet, plural
    from desktop_reader.models import Snippet

    snippet = Snippet("…ships & tugs\n at <dawn>", ((9, 13),))
    assert plain_snippet(snippet) == "…ships & [tugs] at <dawn>"
    assert plain_snippet(snippet, bold=True) == "…ships & \x1b[1mtugs\x1b[0m at <dawn>"
    assert plain_snippet(None) == ""
    assert [plural(n, "article") for n in (0, 1, 2, 1500)] == [
        "0 articles",
        "1 article",
        "2 articles",
        "1,500 articles",
    ]


def test_entity_rules_from_the_command_line(capsys, tmp_path):
    data = ["--data-dir", str(tmp_path / "d")]
    assert run(capsys, *data, "import", str(REPO / "tests" / "data" / "curation"))[0] == 0
    code, out, _ = run(capsys, *data, "entities", "merge", "Greens", "--into", "Green Party", "--type", "org")
    assert code == 0 and "3 articles" in out
    assert run(capsys, *data, "entities", "ignore", "Council")[0] == 0
    code, out, _ = run(capsys, *data, "entities", "rules", "--json")
    assert [r["kind"] for r in jsonl(out)] == ["merge", "ignore"]
    code, out, _ = run(capsys, *data, "search", 'org:"Green Party"', "--json")
    assert len(jsonl(out)) == 3
    code, out, _ = run(capsys, *data, "entities", "--type", "organisation", "--json")
    assert "Council" not in {e["text"] for e in jsonl(out)}
    assert run(capsys, *data, "entities", "rules", "--export", str(tmp_path / "r.json"))[0] == 0
    assert run(capsys, *data, "entities", "undo")[0] == 0
    assert run(capsys, *data, "entities", "unignore", "Council")[0] == 1  # undone already


def test_unknown_entity_type_is_a_usage_error_listing_valid_ones(capsys, tmp_path):
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "d"), "entities", "--type", "planet")
    assert code == 2 and "person" in err and "GPE" in err
    assert run(capsys, "--data-dir", str(tmp_path / "d"), "entities", "retype", "X", "planet")[0] == 2
    assert run(capsys, "--data-dir", str(tmp_path / "d"), "entities", "rename", "X")[0] == 2
