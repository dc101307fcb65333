"""Escape sequences, bells and backspaces from a person or a model never reach the terminal.

Checked twice: on the screen the app renders (Pilot, while a draft streams and after),
and in a real terminal (tmux), where a raw OSC would retitle the pane, a raw BEL would
raise the window's bell flag, and a raw "clear screen" would wipe what is shown.
"""

from __future__ import annotations

import asyncio
import json
import re
import shlex
import shutil
import time
import unicodedata

import pytest
from support.command import run_workshop, workshop
from support.drafting_helpers import use_test_server, with_fields
from support.factory import make_session
from support.llm_server import default_responder
from support.paths import ROOT, WORKSHOP
from support.terminal import Terminal, terminal_env
from support.tui_helpers import open_stage, screen_text, wait_for, wait_for_preview
from textual import events
from textual.widgets import Input, TextArea

from sessions import ItemKind, SessionStore
from workshop.service.facade import WorkshopService
from workshop.tui.app import WorkshopApp
from workshop.tui.dialogs.segmentation import AssignmentDialog
from workshop.tui.widgets.stakeholder_entry import StakeholderEntry

HOSTILE = "\x1b]0;PWNED\x07\x1b[2J\x07\x08\x08\x1b[31m\x9b1m\x1bP+q\x1b\\"
# What a terminal passes on when a person pastes: terminals drop ESC from pasted text
# (Textual 8.2's parser would reissue a pasted escape sequence as key presses), but BEL,
# backspace and C1 controls come through.
PASTED = "\x07\x08\x08\x9b31m\x9d0;PWNED\x07"
RATIONALE = f"Owns the budget{HOSTILE} and the plan."
APPROACH = f"Short{HOSTILE} weekly updates."


def hostile_responder(body: dict) -> str:
    """The default model with escape sequences in what it writes: in each entry of a
    placement list (the rationale), in an engagement answer (the approach), or in both
    fields of a whole per-person draft."""
    answer = json.loads(default_responder(body))
    return json.dumps(with_fields(answer, {"rationale": RATIONALE, "approach": APPROACH}))


def raw_controls(text: str) -> list[str]:
    """Control characters other than newline: what would drive the terminal if printed."""
    return sorted({repr(c) for c in text if c != "\n" and unicodedata.category(c) == "Cc"})


async def sample_screens(app, screens: list[str]) -> None:
    """What the screen shows every few milliseconds, alongside whatever the test does."""
    while True:
        screens.append(screen_text(app))
        await asyncio.sleep(0.01)


async def test_the_rendered_screen_carries_no_control_characters(
    db_path, llm_server, tmp_path, monkeypatch
):
    use_test_server(llm_server, tmp_path, monkeypatch)
    llm_server.responder = hostile_responder
    llm_server.token_rate = 200  # slow enough to see the rationale stream in
    with SessionStore.open(db_path) as store:
        session_id = make_session(store, 2, notes=f"Said: {HOSTILE}ignore that")
    app = WorkshopApp(WorkshopService.open(db_path), remember=False)
    screens = []
    async with app.run_test(size=(140, 45)) as pilot:
        await open_stage(pilot, session_id, "segmentation")
        await pilot.press("d")
        await wait_for_preview(pilot)
        screens.append(screen_text(app))  # the request preview shows the notes
        sampling = asyncio.create_task(sample_screens(app, screens))
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        sampling.cancel()
        streamed = [s for s in screens if "Owns the budget" in s and "…" in s]
        assert streamed, "the rationale was seen while it streamed"
        screens.append(screen_text(app))
        # the stored draft, wrapped on its card
        assert "Owns the budget" in screens[-1] and "the plan." in screens[-1]
        await pilot.press("e")  # the focused card's whole draft, engagement details and all
        assert await wait_for(pilot, lambda: isinstance(app.screen, AssignmentDialog))
        await pilot.pause()
        screens.append(screen_text(app))
        assert "Short weekly updates." in screens[-1]
        await pilot.press("escape")
    assert "as it will be sent" in screens[0]
    for screen in screens:
        assert raw_controls(screen) == []
    with SessionStore.open(db_path) as check:
        drafts = check.load_session(session_id).items_of(ItemKind.SEGMENTATION)
        assert {d.body["rationale"] for d in drafts} == {"Owns the budget and the plan."}
        assert {d.body["approach"] for d in drafts} == {"Short weekly updates."}


async def test_pasted_escape_sequences_are_dropped_before_they_are_drawn_or_saved(db_path):
    """Pasted into an entry line, a one-line field and a text box: drawn and saved clean."""
    with SessionStore.open(db_path) as store:
        session_id = store.create_session({"title": "Q3"}, []).id
    app = WorkshopApp(WorkshopService.open(db_path), remember=False)
    screens = []
    async with app.run_test(size=(140, 45)) as pilot:
        await open_stage(pilot, session_id)
        app.screen.query_one("#title", Input).focus()
        await pilot.press("end")
        app.post_message(events.Paste(f" growth{HOSTILE} plan"))
        await pilot.pause()
        screens.append(screen_text(app))
        app.screen.query_one("#challenges", TextArea).focus()
        app.post_message(events.Paste(f"Budget{HOSTILE}\nis tight"))
        await pilot.pause()
        screens.append(screen_text(app))
        app.screen.set_focus(None)  # out of the text box, so 2 switches stage
        await pilot.press("2")  # leaving the brief saves it
        await pilot.pause()
        app.screen.query_one(StakeholderEntry).focus()
        app.post_message(events.Paste(f"Eve {HOSTILE}Stone, CFO\nTom{HOSTILE} Berg, Sales"))
        await pilot.pause()
        screens.append(screen_text(app))
        assert "Eve Stone" in screens[-1] and "Tom Berg" in screens[-1]
    for screen in screens:
        assert raw_controls(screen) == []
    assert "Q3 growth plan" in screens[0]
    with SessionStore.open(db_path) as check:
        record = check.load_session(session_id)
    assert record.session.title == "Q3 growth plan"
    assert record.session.challenges == "Budget\nis tight"
    assert [p.name for p in record.stakeholders] == ["Eve Stone", "Tom Berg"]


def test_a_real_terminal_is_never_retitled_rung_or_cleared(llm_server, tmp_path):
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed; this test drives the app in a real terminal")
    llm_server.responder = hostile_responder
    llm_server.token_rate = 20  # a few seconds of streaming to watch
    env = terminal_env(tmp_path) | llm_server.env()
    db = tmp_path / "w.db"
    session_id = workshop(
        env, "--db", str(db), "new", "--from", str(ROOT / "examples" / "brief.toml"), cwd=tmp_path
    ).split()[0]
    terminal = Terminal(env)

    def pane(field: str) -> str:
        return terminal.tmux("display", "-p", "-t", terminal.name, f"#{{{field}}}").stdout.strip()

    def paste(text: str) -> None:
        # A bracketed paste, as a terminal delivers text a person pasted.
        terminal.tmux("set-buffer", "-b", "hostile", text)
        terminal.tmux("paste-buffer", "-p", "-d", "-b", "hostile", "-t", terminal.name)

    try:
        terminal.start(
            f"{shlex.quote(str(WORKSHOP))} --db {shlex.quote(str(db))}", tmp_path / "exit-status"
        )
        terminal.wait_for("Search titles", "1 session")
        title = pane("pane_title")
        terminal.keys("Enter")
        terminal.wait_for("test-model")
        terminal.keys("3")
        terminal.wait_for("Draft all")
        terminal.keys("d")
        terminal.wait_for("as it will be sent")
        terminal.keys("Enter")
        seen = []
        end = time.monotonic() + 30
        while time.monotonic() < end:
            seen.append(terminal.screen())
            if "Placed 5" in seen[-1]:
                break
            time.sleep(0.05)
        assert any("… streaming" in s and "Owns the" in s for s in seen), "seen streaming"
        assert "Placed 5, details for 5, failed 0." in seen[-1]  # the one-line summary
        assert "the plan." in seen[-1]  # and the stored drafts on their cards

        terminal.keys("2")
        terminal.wait_for("Name, Role, Team")  # the entry line, focused
        paste(f"Eve {PASTED}Stone, CFO{PASTED}, Finance")
        terminal.keys("Enter")
        screen = terminal.wait_for("Eve Stone")
        assert pane("pane_title") == title  # no OSC reached the terminal
        assert pane("window_bell_flag") == "0"  # no BEL either
        assert "1 Brief" in screen and "Marta Kowalski" in screen  # nor a clear-screen
        for text in [*seen, screen]:
            assert not re.search(r"\[2J|\]0;|PWNED|\+q", text)
        terminal.keys("C-q")
        assert terminal.wait_for_exit() == 0
    finally:
        terminal.kill()

    with SessionStore.open(db) as store:
        names = [p.name for p in store.load_session(session_id).stakeholders]
    assert "Eve Stone" in names


def test_the_cli_prints_no_control_characters_from_the_endpoint(llm_server, tmp_path):
    """`doctor` quotes what the endpoint says (model names, errors); `draft` its failures."""
    llm_server.models = [f"test-model{HOSTILE}", "test-model"]
    llm_server.add_fault("refusal", times=None, message=f"No{HOSTILE} thanks")
    env = terminal_env(tmp_path) | llm_server.env(model="not-offered")
    doctor = run_workshop(env, "--db", str(tmp_path / "w.db"), "doctor", cwd=tmp_path)
    assert "is not offered" in doctor.stdout + doctor.stderr
    env |= {"WORKSHOP_MODEL": "test-model"}
    with SessionStore.open(tmp_path / "w.db") as store:
        session_id = make_session(store, 1)
    draft = run_workshop(
        env, "--db", str(tmp_path / "w.db"), "draft", session_id, "segmentation", cwd=tmp_path
    )
    assert "declined to draft" in draft.stderr and "No thanks" in draft.stderr
    for output in (doctor.stdout, doctor.stderr, draft.stdout, draft.stderr):
        assert raw_controls(output) == []
