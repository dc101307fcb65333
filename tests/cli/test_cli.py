"""The `workshop` command: the real installed script in a subprocess, and in-process."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.paths import EXAMPLES, WORKSHOP

from sessions import SessionStore
from workshop.cli.main import cli


def run(*args: str, db: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the installed `workshop` command as a user would, with no terminal and no stdin."""
    result = subprocess.run(
        [str(WORKSHOP), "--db", str(db), *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        env=os.environ | {"COLUMNS": "120"},
    )
    assert "Traceback" not in result.stderr, result.stderr
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_example_brief_round_trip_through_the_real_command(db_path, tmp_path):
    created = run(
        "new",
        "--from",
        str(EXAMPLES / "brief.toml"),
        "--stakeholders",
        str(EXAMPLES / "stakeholders.csv"),
        db=db_path,
    )
    session_id = created.stdout.strip()
    assert session_id.startswith("ses_")

    listed = json.loads(run("list", "--json", db=db_path).stdout)
    assert [s["id"] for s in listed] == [session_id]
    assert listed[0]["title"] == "Q3 marketing strategy workshop"
    assert listed[0]["stakeholders"] == 8

    shown = run("show", session_id[:8], db=db_path).stdout
    assert "Northwind Analytics" in shown
    assert "Marta Kowalski (Chief Financial Officer, Finance)" in shown
    assert "Chloé Martin" in shown

    exported = run("export", session_id, db=db_path).stdout
    assert exported.startswith("# Q3 marketing strategy workshop\n")
    assert "| Omar Haddad | IT Director | IT | medium | resistant | none |" in exported

    found = run("list", "--search", "yet another tool", db=db_path).stdout
    assert session_id in found and "«yet» «another» «tool»" in found


def test_export_to_a_file_is_private_and_never_overwritten_silently(db_path, tmp_path):
    session_id = run("new", "--title", "Q1", db=db_path).stdout.strip()
    out = tmp_path / "strategy.md"
    run("export", session_id, "-o", str(out), db=db_path)
    assert out.read_text(encoding="utf-8").startswith("# Q1\n")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600

    out.write_text("my own notes", encoding="utf-8")
    refused = run("export", session_id, "-o", str(out), db=db_path, check=False)
    assert refused.returncode == 1
    assert "already exists; use --force" in refused.stderr
    assert out.read_text(encoding="utf-8") == "my own notes"

    run("export", session_id, "-o", str(out), "--force", db=db_path)
    assert out.read_text(encoding="utf-8").startswith("# Q1\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "ses_nope"], "No session with id 'ses_nope'"),
        (["new"], "needs a title"),
        (["new", "--title", "   "], "title: must not be empty"),
        (["new", "--from", "missing.toml"], "missing.toml: no such file"),
        (
            ["new", "--title", "x", "--stakeholders", str(EXAMPLES / "brief.toml")],
            "not a valid CSV",
        ),
        (["export", "ses_nope"], "No session with id"),
        (["prompts", "show", "nope"], "no template with id 'nope'"),
    ],
)
def test_user_mistakes_give_one_line_and_exit_1(db_path, args, message):
    result = run(*args, db=db_path, check=False)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("workshop: ")
    assert message in lines[0]


def test_bad_toml_brief_names_the_file(db_path, tmp_path):
    brief = tmp_path / "brief.toml"
    brief.write_text('title = "Q1\n', encoding="utf-8")
    result = run("new", "--from", str(brief), db=db_path, check=False)
    assert result.returncode == 1
    assert f"{brief}: not valid TOML" in result.stderr


def test_unusable_databases_exit_3_with_a_clear_line(tmp_path):
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"this is not a database at all" * 100)
    result = run("list", db=corrupt, check=False)
    assert result.returncode == 3
    assert "is not a Strategy Workshop database" in result.stderr

    newer = tmp_path / "newer.db"
    SessionStore.open(newer).close()
    with sqlite3.connect(newer) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('strategy-workshop', 'm999_from_the_future', '2030-01-01')"
        )
    result = run("list", db=newer, check=False)
    assert result.returncode == 3
    assert "newer version of Strategy Workshop" in result.stderr


def test_locked_database_is_reported_not_crashed(tmp_path):
    locked = tmp_path / "locked.db"
    SessionStore.open(locked).close()
    holder = sqlite3.connect(locked, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = run("new", "--title", "Q1", db=locked, check=False)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 3
    assert "busy in another program" in result.stderr


def test_workshop_db_environment_variable(tmp_path, monkeypatch):
    target = tmp_path / "from-env.db"
    monkeypatch.setenv("WORKSHOP_DB", str(target))
    result = subprocess.run(
        [str(WORKSHOP), "new", "--title", "From env"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    with SessionStore.open(target) as store:
        assert [s.title for s in store.list_sessions()] == ["From env"]


def test_default_database_lives_in_the_user_data_dir(tmp_path):
    # conftest points XDG_DATA_HOME at a temporary folder for every test.
    result = subprocess.run(
        [str(WORKSHOP), "new", "--title", "Default place"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    expected = Path(os.environ["XDG_DATA_HOME"]) / "strategy-workshop" / "workshop.db"
    assert expected.exists()
    assert stat.S_IMODE(expected.stat().st_mode) == 0o600


def test_in_process_cli_list_and_prompts(db_path):
    runner = CliRunner()
    empty = runner.invoke(cli, ["--db", str(db_path), "list"])
    assert empty.exit_code == 0
    assert "No sessions yet" in empty.output
    created = runner.invoke(cli, ["--db", str(db_path), "new", "--title", "Q2", "--org", "Acme"])
    assert created.exit_code == 0
    listed = runner.invoke(cli, ["--db", str(db_path), "list"])
    assert "Q2 — Acme" in listed.output
    awkward = runner.invoke(cli, ["--db", str(db_path), "list", "--search", 'co-op "('])
    assert awkward.exit_code == 0 and "Nothing found." in awkward.output
    prompts = runner.invoke(cli, ["prompts", "list"])
    assert prompts.exit_code == 0
    for template_id in ("segmentation", "discussion_guide", "outcomes", "default"):
        assert template_id in prompts.output
    shown = runner.invoke(cli, ["prompts", "show", "segmentation"])
    assert 'id = "segmentation"' in shown.output


def test_help_lists_every_command():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("new", "list", "show", "export", "prompts"):
        assert command in result.output
