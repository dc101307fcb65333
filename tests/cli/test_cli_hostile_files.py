"""Files built to break the reader, through the real `workshop` command: one clear line,
exit code 1, nothing written, never a traceback (the helpers fail on one)."""

from __future__ import annotations

import pytest
from support.history_helpers import run

from sessions import SessionStore

DEEP = 100_000


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("deep.json", "[" * DEEP + "]" * DEEP),
        ("deep-object.json", '{"a":' * DEEP + "1" + "}" * DEEP),
    ],
    ids=["lists", "objects"],
)
def test_a_dump_nested_beyond_reading_is_refused_in_one_line(db_path, tmp_path, name, text):
    dump = tmp_path / name
    dump.write_text(text)

    result = run("load", str(dump), db=db_path, check=False)

    assert result.returncode == 1
    assert "is not a session dump: nested too deeply to read" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    with SessionStore.open(db_path) as store:
        assert store.list_sessions() == []


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("brief.json", "[" * DEEP + "]" * DEEP),
        ("brief.toml", "title = " + "[" * DEEP + "]" * DEEP),
    ],
    ids=["json", "toml"],
)
def test_a_brief_nested_beyond_reading_is_refused_in_one_line(db_path, tmp_path, name, text):
    brief = tmp_path / name
    brief.write_text(text)

    result = run("new", "--from", str(brief), db=db_path, check=False)

    assert result.returncode == 1
    assert f"{name}: nested too deeply to read" in result.stderr


def test_a_config_nested_beyond_reading_is_named_by_doctor(db_path, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text("model = " + "[" * DEEP + "]" * DEEP)
    monkeypatch.setenv("WORKSHOP_CONFIG", str(config))

    result = run("doctor", db=db_path, check=False)

    assert result.returncode == 1
    assert "config.toml: nested too deeply to read" in result.stdout + result.stderr
