"""Property-based tests (hypothesis): any text in any field, through the store and back.

Every brief field, every stakeholder field and the text fields of item bodies get
arbitrary Unicode (every code point but surrogates, plus control characters, terminal
escape sequences, right-to-left marks and text, emoji sequences, line separators, and
lengths around the limits). What is stored and loaded back must be exactly what the
store's cleaning makes of it (sessions/text.py: clean_line for one-line fields,
clean_text then strip for free text), or the whole write must be refused with an
InvalidInputError that names the field; nothing else may escape.
"""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from support.paths import WORKSHOP

from sessions import InvalidInputError, SessionStore
from sessions.models import NAME_MAX, TEXT_MAX
from sessions.text import clean_line, clean_text

SETTINGS = settings(
    database=None,  # no .hypothesis/ folder in the checkout; a failure prints its blob
    print_blob=True,
    max_examples=60,
    deadline=None,  # every write is an fsync: its time is the disk's, not the code's
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SPECIALS = [
    "\x00",
    "\x07",
    "\x08",
    "\x1b[31m",
    "\x1b]0;owned\x07",
    "\x1b]8;;http://x\x1b\\",
    "\x1bP1;2q\x1b\\",
    "\x9b2J",
    "\x85",
    "\x7f",
    "\r\n",
    "\r",
    "\n",
    "\t",
    "\u2028",
    "\u2029",
    "\u200f",
    "\u202e",
    "\u061c",
    "\ufeff",
    "\u00a0",
    "\u3000",
    " ",
    "مرحبا بالعالم",
    "שלום",
    "🙂",
    "👩🏽‍💻",
    "🇪🇺",
    "e\u0301",
    "Zoë",
    "日本語",
    '"',
    "'",
    "%",
    "_",
    "\\",
    "*",
    "-",
    "AND",
    "NEAR(",
    "| a | b |",
    "<script>",
    "# heading",
]
CHARS = st.characters(blacklist_categories=("Cs",))  # every code point but surrogates
PIECES = st.one_of(st.text(CHARS, max_size=10), st.sampled_from(SPECIALS))
SHORT = st.lists(PIECES, max_size=6).map("".join)
# Mostly something a person would call a name, with anything around it.
NAMED = st.tuples(st.sampled_from(["Ada", "Zoë", "ليلى", "🙂", "Q3", "李"]), SHORT).map("".join)


def around(limit: int, pieces: list[str]) -> st.SearchStrategy[str]:
    """Text of about limit characters, made of pieces some of which cleaning removes."""
    return st.tuples(st.sampled_from(pieces), st.integers(limit - 40, limit + 40)).map(
        lambda t: (t[0] * t[1])[: t[1]]
    )


ONE_LINE = st.one_of(
    SHORT, NAMED, NAMED, NAMED, around(NAME_MAX, ["a", "é ", "🙂", "\x1b[0m", "x\n"])
)
FREE_TEXT = st.one_of(
    SHORT, SHORT, NAMED, NAMED, around(TEXT_MAX, ["word ", "🙂", "\x1b[0m", "\r\n", "x"])
)
NO = object()  # what a field that must be refused expects


def as_name(raw: str) -> Any:
    cleaned = clean_line(raw)
    return cleaned if cleaned and len(cleaned) <= NAME_MAX else NO


def as_label(raw: str) -> Any:
    cleaned = clean_line(raw)
    return cleaned if len(cleaned) <= NAME_MAX else NO


def as_text(raw: str | None) -> Any:
    if raw is None:
        return None
    cleaned = clean_text(raw).strip()
    return cleaned if len(cleaned) <= TEXT_MAX else NO


def refused_fields(expected: dict[str, Any]) -> list[str]:
    """The fields whose expected value is NO (lists: the field with the index)."""
    bad = []
    for key, value in expected.items():
        if value is NO:
            bad.append(key)
        elif isinstance(value, list):
            bad += [f"{key}.{n}" for n, v in enumerate(value) if v is NO]
    return bad


def assert_refusal_names_a_field(error: InvalidInputError, bad: list[str]) -> None:
    event("refused")
    message = str(error)
    assert bad, f"refused though every field is acceptable: {message}"
    assert any(field in message for field in bad), f"{message!r} names none of {bad}"
    assert "\n" not in message


@SETTINGS
@given(
    title=ONE_LINE,
    organisation=ONE_LINE,
    facilitator=ONE_LINE,
    participants=st.lists(ONE_LINE, max_size=2),
    priorities=st.lists(FREE_TEXT, max_size=2),
    marketing_today=FREE_TEXT,
    challenges=FREE_TEXT,
)
def test_any_brief_is_stored_as_cleaned_or_refused_naming_the_field(
    store, title, organisation, facilitator, participants, priorities, marketing_today, challenges
):
    brief = {
        "title": title,
        "organisation": organisation,
        "facilitator": facilitator,
        "participants": participants,
        "priorities": priorities,
        "marketing_today": marketing_today,
        "challenges": challenges,
    }
    expected = {
        "title": as_name(title),
        "organisation": as_label(organisation),
        "facilitator": as_label(facilitator),
        "participants": [as_name(p) for p in participants],
        "priorities": [as_text(p) for p in priorities],
        "marketing_today": as_text(marketing_today),
        "challenges": as_text(challenges),
    }
    count = store.count_sessions()
    try:
        session = store.create_session(brief)
    except InvalidInputError as error:
        assert_refusal_names_a_field(error, refused_fields(expected))
        assert store.count_sessions() == count  # nothing half-written
        return
    assert not refused_fields(expected)
    event("stored")
    loaded = store.get_session(session.id).brief.model_dump(include=set(expected))
    assert loaded == expected
    # The same text written over it with update_brief comes back the same way.
    assert store.update_brief(session.id, brief).brief.model_dump(include=set(expected)) == expected


@SETTINGS
@given(
    name=ONE_LINE,
    role=ONE_LINE,
    team=ONE_LINE,
    notes=FREE_TEXT,
    second_name=ONE_LINE,
    new_notes=FREE_TEXT,
)
def test_any_stakeholder_is_stored_as_cleaned_or_refused_naming_the_field(
    store, name, role, team, notes, second_name, new_notes
):
    person = {"name": name, "role": role, "team": team, "notes": notes}
    expected = {
        "name": as_name(name),
        "role": as_label(role),
        "team": as_label(team),
        "notes": as_text(notes),
    }
    session = store.create_session({"title": "People"})
    try:
        added = store.add_stakeholder(session.id, person)
    except InvalidInputError as error:
        assert_refusal_names_a_field(error, refused_fields(expected))
        assert store.stakeholders(session.id) == []
        return
    assert not refused_fields(expected)
    event("stored")
    assert store.get_stakeholder(added.id).model_dump(include=set(expected)) == expected

    # A second person: refused as a duplicate when the names match but for case and spaces.
    second = as_name(second_name)
    same = second is not NO and " ".join(second.casefold().split()) == " ".join(
        expected["name"].casefold().split()
    )
    try:
        other = store.add_stakeholder(session.id, {"name": second_name, "notes": new_notes})
    except InvalidInputError as error:
        wanted = refused_fields({"name": second, "notes": as_text(new_notes)})
        if same and not wanted:
            assert "already in this session" in str(error)
        else:
            assert_refusal_names_a_field(error, wanted)
        assert len(store.stakeholders(session.id)) == 1
    else:
        assert not same
        assert (other.name, other.notes) == (second, as_text(new_notes))

    # Editing the first person's notes stores them cleaned, or changes nothing.
    try:
        edited = store.update_stakeholder(added.id, notes=new_notes)
    except InvalidInputError as error:
        assert_refusal_names_a_field(error, refused_fields({"notes": as_text(new_notes)}))
        assert store.get_stakeholder(added.id).notes == expected["notes"]
    else:
        assert edited.notes == as_text(new_notes)


def outcome(texts: dict[str, Any]) -> dict[str, Any]:
    return {
        "result": texts["result"],
        "metric": texts["metric"],
        "baseline": texts["baseline"],
        "target": texts["target"],
        "due": None,
        "owner": texts["owner"],
        "priority": texts["priority"],
        "stakeholders": texts["stakeholders"],
        "leading_indicators": texts["leading_indicators"],
    }


def expected_outcome(texts: dict[str, Any]) -> dict[str, Any]:
    return {
        "result": as_text(texts["result"]),
        "metric": as_text(texts["metric"]),
        "baseline": as_text(texts["baseline"]),
        "target": as_text(texts["target"]),
        "due": None,
        "owner": as_label(texts["owner"]),
        "priority": as_text(texts["priority"]),
        "stakeholders": [as_name(s) for s in texts["stakeholders"]],
        "leading_indicators": [as_text(t) for t in texts["leading_indicators"]],
    }


OUTCOME_TEXTS = st.fixed_dictionaries(
    {
        "result": FREE_TEXT,
        "metric": SHORT,
        "baseline": st.none() | SHORT,
        "target": st.none() | FREE_TEXT,
        "owner": ONE_LINE,
        "priority": SHORT,
        "stakeholders": st.lists(ONE_LINE, max_size=2),
        "leading_indicators": st.lists(SHORT, max_size=2),
    }
)


@SETTINGS
@given(first=OUTCOME_TEXTS, edit=OUTCOME_TEXTS, question=FREE_TEXT, answer=FREE_TEXT)
def test_any_item_text_is_stored_as_cleaned_with_its_history(store, first, edit, question, answer):
    session = store.create_session({"title": "Items"})
    expected = expected_outcome(first)
    try:
        item = store.create_item(session.id, "outcome", outcome(first), "person", "Priya")
    except InvalidInputError as error:
        assert_refusal_names_a_field(error, refused_fields(expected))
        assert store.load_session(session.id).items == []
    else:
        assert not refused_fields(expected)
        event("stored")
        assert store.get_item(item.id).body == expected
        edited = expected_outcome(edit)
        try:
            saved = store.edit_item(item.id, outcome(edit), "Grace", expected_version=1)
        except InvalidInputError as error:
            assert_refusal_names_a_field(error, refused_fields(edited))
            assert [r.body for r in store.revisions(item.id)] == [expected]
        else:
            assert not refused_fields(edited)
            assert saved.body == edited
            history = [r.body for r in store.revisions(item.id)]
            assert history == ([expected] if edited == expected else [expected, edited])

    # What was said in the room: question and answer, free text.
    entry = {"question": as_text(question), "answer": as_text(answer)}
    try:
        answers = store.create_item(
            session.id,
            "answers",
            {"entries": [{"question": question, "answer": answer}]},
            "person",
            "Priya",
        )
    except InvalidInputError as error:
        assert_refusal_names_a_field(error, refused_fields(entry))
    else:
        assert not refused_fields(entry)
        assert store.get_item(answers.id).body == {"entries": [entry]}


@settings(SETTINGS, max_examples=150)
@given(query=st.one_of(SHORT, st.text(CHARS, max_size=30)))
def test_any_search_text_returns_results_never_an_error(store, query):
    # One row to search through; the query text is what a person types.
    if not store.count_sessions():
        store.create_session(
            {"title": "Q3 «strategy» — co-op 🙂"}, [{"name": "Zoë", "notes": "مرحبا"}]
        )
    hits = store.search(query)
    assert isinstance(hits, list)


SURROGATE_TEXT = st.text(
    st.one_of(CHARS, st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)), max_size=12
)


@settings(SETTINGS, max_examples=30)
@given(title=SURROGATE_TEXT, notes=SURROGATE_TEXT)
def test_lone_surrogates_are_stored_cleaned_or_refused_clearly(store, title, notes):
    # A JSON file can hold "\ud800": a str Python has, UTF-8 has not.
    count = store.count_sessions()
    try:
        session = store.create_session({"title": title}, [{"name": "Ada", "notes": notes}])
    except InvalidInputError as error:
        assert "\n" not in str(error)
        assert store.count_sessions() == count
    else:
        assert store.get_session(session.id).title == clean_line(title)


def test_a_json_brief_with_a_lone_surrogate_is_stored_cleaned(tmp_path):
    brief = tmp_path / "brief.json"
    brief.write_text(
        '{"title": "Q3 \\ud800 workshop", "stakeholders": [{"name": "Ada"}]}', encoding="utf-8"
    )
    db = tmp_path / "workshop.db"
    result = subprocess.run(
        [
            str(WORKSHOP),
            "--db",
            str(db),
            "new",
            "--from",
            str(brief),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ,
    )
    # A broken escape is no reason to lose a brief: the unwritable character is dropped.
    assert result.returncode == 0, result.stderr
    with SessionStore.open(db) as store:
        assert [s.title for s in store.list_sessions()] == ["Q3 workshop"]


def test_the_round_trip_through_a_dump_keeps_every_character(store):
    # Cleaned text survives a dump to JSON and a load back, byte for byte.
    awkward = "".join(s for s in SPECIALS if s not in ("\x00",))
    session = store.create_session(
        {"title": "Dump " + awkward, "challenges": awkward},
        [{"name": "Zoë " + awkward, "notes": awkward}],
    )
    document = json.loads(json.dumps(store.dump_session(session.id), ensure_ascii=False))
    copy = store.load_session_dump(document, as_copy=True)
    assert copy.title == session.title and copy.challenges == session.challenges
    assert [(s.name, s.notes) for s in store.stakeholders(copy.id)] == [
        (s.name, s.notes) for s in store.stakeholders(session.id)
    ]
