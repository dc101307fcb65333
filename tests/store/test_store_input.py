"""Bad, odd and hostile input at the store's door: refused clearly, or cleaned and kept."""

from __future__ import annotations

import pytest

from sessions import Brief, InvalidInputError, SessionStore, StakeholderInput

ESC = "\x1b"
RED = f"{ESC}[31m"
RESET = f"{ESC}[0m"
OSC8_LINK = f"{ESC}]8;;https://evil.example/{ESC}\\click me{ESC}]8;;{ESC}\\"
OSC8_LINK_BEL = f"{ESC}]8;;https://evil.example/\x07click me{ESC}]8;;\x07"
TITLE_CHANGE = f"{ESC}]0;pwned\x07"

ENDINGS_OF_LINES = ["\n", "\r\n", "\r", "\u2028", "\u2029"]


@pytest.fixture
def session(store):
    return store.create_session({"title": "Input"})


def add(store, session, **fields):
    return store.add_stakeholder(session.id, {"name": "Someone", **fields})


# Names: never empty, bounded, one line -------------------------------------------------


@pytest.mark.parametrize("blank", ["", " ", "   ", "\t", "\n\n", " \r\n ", "\u2028"])
def test_empty_and_blank_names_are_refused(store, session, blank):
    with pytest.raises(InvalidInputError, match="name: must not be empty"):
        store.add_stakeholder(session.id, {"name": blank})
    with pytest.raises(InvalidInputError, match="title: must not be empty"):
        store.create_session({"title": blank})
    with pytest.raises(InvalidInputError, match="participants"):
        store.create_session({"title": "Ok", "participants": ["Ada", blank]})
    assert store.stakeholders(session.id) == []
    assert store.count_sessions() == 1


def test_a_name_made_only_of_escape_codes_is_empty(store, session):
    with pytest.raises(InvalidInputError, match="must not be empty"):
        store.add_stakeholder(session.id, {"name": f"{RED}{RESET}\x07\x08"})


def test_a_missing_name_is_refused(store, session):
    with pytest.raises(InvalidInputError, match="name"):
        store.add_stakeholder(session.id, {"role": "CFO"})
    with pytest.raises(InvalidInputError, match="title"):
        store.create_session({})


def test_names_over_200_characters_are_refused_saying_200(store, session):
    with pytest.raises(InvalidInputError) as caught:
        store.add_stakeholder(session.id, {"name": "A" * 201})
    assert "200" in str(caught.value)
    assert "name" in str(caught.value)

    with pytest.raises(InvalidInputError, match="200"):
        store.create_session({"title": "T" * 5_000})
    with pytest.raises(InvalidInputError, match="200"):
        store.update_brief(session.id, {"title": "Ok", "organisation": "O" * 201})
    assert store.get_session(session.id).organisation == ""


def test_a_name_of_exactly_200_characters_is_kept(store, session):
    name = "é" * 200
    assert store.add_stakeholder(session.id, {"name": name}).name == name


def test_the_200_limit_is_counted_after_cleaning(store, session):
    # 200 visible characters wrapped in colour codes and spaces are still 200.
    person = store.add_stakeholder(session.id, {"name": f"  {RED}{'B' * 200}{RESET}  "})
    assert person.name == "B" * 200


@pytest.mark.parametrize("ending", ENDINGS_OF_LINES)
def test_names_become_one_line(store, session, ending):
    person = store.add_stakeholder(session.id, {"name": f"Ada{ending}Lovelace{ending}"})
    assert person.name == "Ada Lovelace"
    assert len(person.name.splitlines()) == 1
    renamed = store.update_stakeholder(person.id, role=f"Chief{ending}\tFinancial Officer")
    assert renamed.role == "Chief Financial Officer"


def test_titles_and_labels_become_one_line(store):
    session = store.create_session(
        {
            "title": "Spring\r\nrelaunch",
            "organisation": "Acme\nCo-op",
            "facilitator": "Fatima\tRahman",
            "participants": ["Ada\nLovelace"],
        }
    )
    assert session.title == "Spring relaunch"
    assert session.organisation == "Acme Co-op"
    assert session.facilitator == "Fatima Rahman"
    assert session.participants == ["Ada Lovelace"]


def test_inner_runs_of_spaces_in_names_are_collapsed(store, session):
    assert add(store, session, name="  Ada    Lovelace  ").name == "Ada Lovelace"


# Long text -----------------------------------------------------------------------------


def test_a_megabyte_of_notes_is_refused_naming_the_limit(store, session):
    with pytest.raises(InvalidInputError) as caught:
        add(store, session, notes="x" * 1_000_000)
    message = str(caught.value)
    assert "notes" in message
    assert "20,000" in message
    assert store.stakeholders(session.id) == []


def test_20000_characters_of_notes_are_accepted_whole(db_path):
    notes = ("Line of notes. " * 2_000)[:19_999] + "!"
    assert len(notes) == 20_000
    with SessionStore.open(db_path) as store:
        session = store.create_session({"title": "Long"})
        person = store.add_stakeholder(session.id, {"name": "Ada", "notes": notes})
    with SessionStore.open(db_path) as store:
        assert store.get_stakeholder(person.id).notes == notes


def test_one_character_over_the_text_limit_is_refused(store, session):
    with pytest.raises(InvalidInputError, match="20,000"):
        add(store, session, notes="y" * 20_001)


def test_long_brief_text_and_long_lists_are_refused(store, session):
    with pytest.raises(InvalidInputError, match="challenges.*20,000"):
        store.update_brief(session.id, {"title": "Ok", "challenges": "z" * 1_000_000})
    with pytest.raises(InvalidInputError, match="priorities"):
        store.update_brief(session.id, {"title": "Ok", "priorities": ["p"] * 101})
    with pytest.raises(InvalidInputError, match="participants"):
        store.update_brief(
            session.id, {"title": "Ok", "participants": [f"P{n}" for n in range(101)]}
        )
    assert store.get_session(session.id).challenges == ""


def test_a_megabyte_inside_an_item_body_is_refused(store, session):
    body = {
        "segment": "champion",
        "report": "r" * 1_000_000,
        "frequency": "Monthly",
    }
    with pytest.raises(InvalidInputError, match="report.*20,000"):
        store.create_item(session.id, "cadence", body, "model", "model")


# Terminal control sequences ------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        pytest.param(f"{RED}Ada{RESET} Lovelace", "Ada Lovelace", id="colour CSI"),
        pytest.param(f"Ada{ESC}[2J{ESC}[H Lovelace", "Ada Lovelace", id="clear screen"),
        pytest.param(f"{OSC8_LINK} Ada", "click me Ada", id="OSC 8 hyperlink, ST"),
        pytest.param(f"{OSC8_LINK_BEL} Ada", "click me Ada", id="OSC 8 hyperlink, BEL"),
        pytest.param(f"{TITLE_CHANGE}Ada", "Ada", id="window title"),
        pytest.param("Ada\x07 Lovelace", "Ada Lovelace", id="BEL"),
        pytest.param("Adaa\x08 Lovelace", "Adaa Lovelace", id="backspace"),
        pytest.param("Ada\x9b31m Lovelace", "Ada Lovelace", id="8-bit CSI"),
        pytest.param("Ada Lovelace\x9b", "Ada Lovelace", id="lone 8-bit CSI"),
        pytest.param("Ada\x00 Love\x7flace", "Ada Lovelace", id="NUL and DEL"),
        pytest.param(f"Ada{ESC}", "Ada", id="trailing ESC"),
        pytest.param("Ada\x85Lovelace", "AdaLovelace", id="C1 NEL"),
    ],
)
def test_control_sequences_are_removed_from_names(store, session, typed, kept):
    person = store.add_stakeholder(session.id, {"name": typed})
    assert person.name == kept
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in person.name)
    assert store.create_session({"title": typed}).title == kept


def test_control_sequences_are_removed_from_notes_but_tabs_and_newlines_stay(db_path):
    notes = (
        f"{RED}Budget{RESET} owner.\n"
        f"\tPrefers {OSC8_LINK} over calls.\x07\n"
        "Typo\x08\x08 fixed.\x9b2J\n"
        "Columns:\tone\ttwo"
    )
    with SessionStore.open(db_path) as store:
        session = store.create_session({"title": "Notes"})
        person = store.add_stakeholder(session.id, {"name": "Ada", "notes": notes})
    with SessionStore.open(db_path) as store:
        stored = store.get_stakeholder(person.id).notes
    assert stored == (
        "Budget owner.\n\tPrefers click me over calls.\nTypo fixed.\nColumns:\tone\ttwo"
    )
    assert "\x1b" not in stored and "\x9b" not in stored


def test_control_sequences_are_removed_from_item_bodies(store, session):
    body = {
        "segment": "champion",
        "report": f"{RED}Monthly{RESET} dashboard\x07\nline two",
        "frequency": f"{ESC}]0;x\x07Monthly",
    }
    item = store.create_item(session.id, "cadence", body, "model", "model")
    assert item.body["report"] == "Monthly dashboard\nline two"
    assert item.body["frequency"] == "Monthly"


def test_control_sequences_are_removed_on_update_too(store, session):
    person = add(store, session)
    updated = store.update_stakeholder(person.id, notes=f"{RED}red{RESET}", name=f"New{RED}")
    assert (updated.name, updated.notes) == ("New", "red")


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("one\r\ntwo\r\nthree", "one\ntwo\nthree"),
        ("old mac\rline", "old mac\nline"),
        ("mixed\r\n\rends\n", "mixed\n\nends"),
        ("para\u2028graph\u2029next", "para\ngraph\nnext"),
    ],
)
def test_line_endings_in_notes_become_newlines(store, session, typed, kept):
    assert add(store, session, notes=typed).notes == kept


def test_bidi_overrides_never_reach_the_record_but_bidi_marks_do(store, session):
    # "Trojan Source": an override shows "Dana approves" for text stored the other way round.
    person = add(store, session, name="Dana \u202esevorppa", notes="\u2066a\u2069 \u202ab\u202c")
    assert (person.name, person.notes) == ("Dana sevorppa", "a b")
    hebrew = "\u05e9\u05dc\u05d5\u05dd\u200f 2026"  # a right-to-left mark keeps its place
    assert add(store, session, name="Noa", notes=hebrew).notes == hebrew


def test_surrounding_blank_space_in_notes_is_trimmed_inner_lines_kept(store, session):
    assert add(store, session, notes="\n\n  First\n\n  Second  \n\n").notes == ("First\n\n  Second")


# Text that must survive exactly --------------------------------------------------------

SURVIVORS = [
    pytest.param("Zoë 👩🏽‍💻 🚀 👨‍👩‍👧‍👦 🇫🇷", id="emoji"),
    pytest.param("مرحبا بالعالم — فريق التسويق", id="Arabic"),
    pytest.param("שלום עולם, צוות השיווק", id="Hebrew"),
    pytest.param("Mixed עברית and English ٣٤٥", id="bidi mix"),
    pytest.param("**Bold** _it_ `code` [link](http://x) # not a heading | pipe |", id="Markdown"),
    pytest.param("<script>alert('x')</script> & <b>bold</b> &amp;", id="HTML"),
    pytest.param("Ｆｕｌｌｗｉｄｔｈ 日本語 한국어 中文", id="CJK"),
    pytest.param("e\u0301 combining, zero\u200bwidth, nbsp\u00a0kept", id="combining"),
    pytest.param("'; DROP TABLE sessions; --", id="SQL"),
    pytest.param('"quotes" «guillemets» ‘curly’', id="quotes"),
]


@pytest.mark.parametrize("text", SURVIVORS)
def test_people_text_survives_unchanged(db_path, text):
    with SessionStore.open(db_path) as store:
        session = store.create_session(
            {"title": text, "organisation": text, "priorities": [text], "challenges": text}
        )
        person = store.add_stakeholder(
            session.id, {"name": text, "role": text, "notes": f"{text}\n{text}"}
        )
    with SessionStore.open(db_path) as store:
        again = store.get_session(session.id)
        who = store.get_stakeholder(person.id)
        tables = store.db.table_names()
    assert (again.title, again.organisation, again.priorities, again.challenges) == (
        text,
        text,
        [text],
        text,
    )
    assert (who.name, who.role, who.notes) == (text, text, f"{text}\n{text}")
    assert "sessions" in tables


@pytest.mark.parametrize("text", SURVIVORS)
def test_people_text_survives_in_item_bodies_and_search(store, session, text):
    body = {"title": text, "description": f"{text}\n{text}", "channel": "Events"}
    item = store.create_item(session.id, "plan_entry", body, "person", "Fatima")
    assert item.body["title"] == text
    assert item.body["description"] == f"{text}\n{text}"
    store.search(text)  # whatever it finds, it never raises


def test_html_is_stored_as_text_and_found_by_search(store):
    session = store.create_session({"title": "<script>alert(1)</script> launch"})
    assert session.title == "<script>alert(1)</script> launch"
    hits = store.search("script")
    assert hits and hits[0].session_id == session.id


# Types and unknown fields --------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "word"),
    [
        ({"name": 42}, "name"),
        ({"name": None}, "name"),
        ({"name": ["Ada"]}, "name"),
        ({"name": "Ada", "influence": "enormous"}, "influence"),
        ({"name": "Ada", "stance": "SUPPORTIVE"}, "stance"),
        ({"name": "Ada", "email": "ada@example.com"}, "email"),
        ({"name": "Ada", "notes": {"text": "nested"}}, "notes"),
    ],
)
def test_wrongly_typed_or_unknown_stakeholder_fields_are_refused(store, session, fields, word):
    with pytest.raises(InvalidInputError, match=word):
        store.add_stakeholder(session.id, fields)
    assert store.stakeholders(session.id) == []


@pytest.mark.parametrize(
    ("fields", "word"),
    [
        ({"title": "Ok", "workshop_date": "next Tuesday"}, "workshop_date"),
        ({"title": "Ok", "workshop_date": "2025-02-30"}, "workshop_date"),
        ({"title": "Ok", "priorities": "not a list"}, "priorities"),
        ({"title": "Ok", "budget": 10_000}, "budget"),
    ],
)
def test_bad_brief_fields_are_refused(store, fields, word):
    with pytest.raises(InvalidInputError, match=word):
        store.create_session(fields)
    assert store.count_sessions() == 0


def test_error_messages_say_what_was_wrong_in_plain_words(store, session):
    with pytest.raises(InvalidInputError) as caught:
        store.add_stakeholder(session.id, {"name": " ", "notes": "n" * 20_001})
    message = str(caught.value)
    assert message.startswith("stakeholder: ")
    assert "name: must not be empty" in message
    assert "notes: must be at most 20,000 characters (got 20,001)" in message
    assert "Value error" not in message


def test_validated_inputs_are_cleaned_before_reaching_the_store(store, session):
    person = StakeholderInput(name=f"{RED}Ada{RESET}\nLovelace", notes="a\r\nb")
    assert (person.name, person.notes) == ("Ada Lovelace", "a\nb")
    brief = Brief(title="\tSpring  relaunch\x07")
    assert brief.title == "Spring relaunch"
    stored = store.add_stakeholder(session.id, person)
    assert (stored.name, stored.notes) == ("Ada Lovelace", "a\nb")
