"""The API key, given by environment or through a config profile, leaks nowhere.

A whole workshop runs through the real `workshop` command (CLI and the app in tmux);
afterwards every file it could have written (database and its WAL, exports, dumps, caches,
config and state directories) and everything it printed or showed is searched for the key.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from support.command import run_workshop, workshop
from support.drafting_helpers import API_KEY, schema_following_responder
from support.paths import ROOT, WORKSHOP
from support.terminal import SEARCH_HINT, Terminal, terminal_env

from sessions import ItemKind, SessionStore


def files_holding(root: Path, secret: str) -> list[str]:
    needle = secret.encode()
    return sorted(
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and not p.is_socket() and needle in p.read_bytes()
    )


def test_a_whole_cli_workshop_leaves_the_key_nowhere(llm_server, tmp_path):
    llm_server.api_key = API_KEY
    llm_server.responder = schema_following_responder
    env = terminal_env(tmp_path) | llm_server.env()  # the key from OPENAI_API_KEY
    db = str(tmp_path / "w.db")
    printed = [workshop(env, "--db", db, "doctor", cwd=tmp_path)]
    created = workshop(
        env, "--db", db, "new", "--from", str(ROOT / "examples" / "brief.toml"), cwd=tmp_path
    )
    session_id = created.split()[0]
    for kind in ("segmentation", "questions", "outcomes"):
        printed.append(workshop(env, "--db", db, "draft", session_id, kind, cwd=tmp_path))
        printed.append(
            workshop(env, "--db", db, "draft", session_id, kind, "--preview", cwd=tmp_path)
        )
    # A wrong key: the refusal is reported without echoing either key.
    wrong = env | {"OPENAI_API_KEY": API_KEY + "-wrong"}
    printed.append(workshop(wrong, "--db", db, "draft", session_id, "outcomes", cwd=tmp_path))
    printed.append(workshop(wrong, "--db", db, "doctor", cwd=tmp_path))
    printed.append(workshop(env, "--db", db, "show", session_id, cwd=tmp_path))
    printed.append(workshop(env, "--db", db, "export", session_id, "-o", "out.md", cwd=tmp_path))
    printed.append(workshop(env, "--db", db, "export", session_id, cwd=tmp_path))
    printed.append(workshop(env, "--db", db, "dump", session_id, "-o", "dump.json", cwd=tmp_path))
    printed.append(workshop(env, "--db", db, "list", cwd=tmp_path))

    with SessionStore.open(tmp_path / "w.db") as store:
        record = store.load_session(session_id)
        assert record.items_of(ItemKind.SEGMENTATION) and record.items_of(ItemKind.OUTCOME)
        assert any(c["status"] == "bad_key" for c in store.llm_calls(session_id))
    assert (tmp_path / "out.md").exists() and (tmp_path / "dump.json").exists()
    assert "refused the API key" in printed[-7]
    assert files_holding(tmp_path, API_KEY) == []
    assert API_KEY not in "".join(printed)


def test_the_app_in_a_terminal_never_shows_or_stores_the_key(llm_server, tmp_path):
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed; this test drives the app in a real terminal")
    llm_server.api_key = API_KEY
    llm_server.responder = schema_following_responder
    env = terminal_env(tmp_path)
    config = tmp_path / "home" / "config" / "strategy-workshop" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(
        f'default_profile = "local"\n[profiles.local]\nbase_url = "{llm_server.base_url}"\n'
        'model = "test-model"\napi_key_env = "TEAM_LLM_KEY"\n',
        encoding="utf-8",
    )
    env["TEAM_LLM_KEY"] = API_KEY  # the key reaches the app only through the profile
    db = tmp_path / "w.db"
    session_id = workshop(
        env, "--db", str(db), "new", "--from", str(ROOT / "examples" / "brief.toml"), cwd=tmp_path
    ).split()[0]

    terminal = Terminal(env)
    screens: list[str] = []

    def seen(*texts: str) -> None:
        screens.append(terminal.wait_for(*texts))

    try:
        terminal.start(
            f"cd {shlex.quote(str(tmp_path))} && {shlex.quote(str(WORKSHOP))} "
            f"--db {shlex.quote(str(db))}",
            tmp_path / "exit-status",
        )
        seen(SEARCH_HINT, "1 session")
        terminal.keys("Enter")
        seen("test-model")
        for stage, draft_key, footer, drafted in (
            ("3", "d", "Draft all", "Placed 5, details for 5, failed 0"),
            ("4", "d", "Draft guides", "Drafted 5 guides"),
            ("5", "o", "Draft outcomes", "Drafted 1 outcome statement"),
        ):
            terminal.keys(stage)
            seen(footer)
            terminal.keys(draft_key)
            seen("as it will be sent")  # the request preview, in full
            terminal.keys("Enter")
            # Each stage's own report: an earlier stage's toast can still be showing.
            seen(drafted)
        for stage, shown in (("6", "cadence:"), ("7", "Stage: Review"), ("8", "w write")):
            terminal.keys(stage)
            seen(shown)
        terminal.keys("w")
        seen("Write the Markdown")
        terminal.keys("Enter")
        seen("Written:")
        terminal.keys("?")
        seen("Esc to close")
        terminal.keys("Escape")
        terminal.wait_for("w write", absent=("Esc to close",))  # Esc then 2 at once is Alt+2
        terminal.keys("2")  # last: its entry line takes the digits from here on
        seen("Stage: Stakeholders", "Marta Kowalski")
        screens.append(terminal.tmux("capture-pane", "-p", "-S", "-", "-t", terminal.name).stdout)
        terminal.keys("C-q")
        assert terminal.wait_for_exit() == 0
    finally:
        terminal.kill()

    with SessionStore.open(db) as store:
        assert len(store.load_session(session_id).items_of(ItemKind.SEGMENTATION)) == 5
    assert list(tmp_path.glob("*.md")), "the export was written"
    assert files_holding(tmp_path, API_KEY) == []
    everything = "\n".join(screens)
    assert API_KEY not in everything
    # Not even a tail of it: a masked key ("sk-…c") would still hand out part of it.
    assert not re.search(re.escape(API_KEY[-6:]), everything)


@pytest.mark.parametrize(
    ("line", "said"),
    [
        (f'api_key = "{API_KEY}"', "the key is never kept in the config file"),
        (f'api_key_env = "{API_KEY}"', "must name an environment variable"),
    ],
    ids=["key-in-the-file", "key-as-the-variable-name"],
)
def test_a_key_pasted_into_the_config_is_refused_without_echoing_it(tmp_path, line, said):
    env = terminal_env(tmp_path)
    config = tmp_path / "config.toml"
    config.write_text(f'[profiles.p]\nmodel = "m"\n{line}\n', encoding="utf-8")
    env |= {"WORKSHOP_CONFIG": str(config), "WORKSHOP_PROFILE": "p"}
    result = run_workshop(env, "--db", str(tmp_path / "w.db"), "doctor", cwd=tmp_path)
    assert result.returncode != 0
    assert said in result.stderr
    assert API_KEY not in result.stdout + result.stderr
