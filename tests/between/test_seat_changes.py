"""Leadership changes: a leader leaves, a newcomer takes the seat and must be resold; the
follow-up starts without the one who left, and "what changed" tells the seat change and
the attributes that moved."""

from __future__ import annotations

from datetime import date

from support.factory import ASSIGNMENT
from support.history_helpers import run

from sessions import SessionStore
from workshop.service.facade import WorkshopService

SEGMENTS = ["decision_maker", "detractor"]
PEOPLE = [
    {"name": "Marta Kowalski", "role": "Chief Financial Officer", "team": "Finance"},
    {"name": "Dana Reyes", "role": "Head of Sales", "stance": "resistant", "influence": "high"},
]


def quarter(db_path) -> str:
    with SessionStore.open(db_path) as store:
        session = store.create_session({"title": "Q3 strategy"}, PEOPLE)
        for person, segment in zip(store.stakeholders(session.id), SEGMENTS, strict=True):
            item = store.create_item(
                session.id,
                "segmentation",
                ASSIGNMENT | {"segment": segment},
                "person",
                "Lee",
                stakeholder_id=person.id,
            )
            store.approve_item(item.id, "Lee")
    return session.id


def test_a_leader_who_left_is_replaced_and_the_seat_is_resold(db_path):
    session_id = quarter(db_path)
    with WorkshopService.open(db_path) as service:
        newcomer = service.people.leave(
            session_id, "marta kowalski", date(2026, 10, 1), "Nina Berg"
        )
        record = service.sessions.load(session_id)
    assert newcomer is not None and (newcomer.role, newcomer.replaces) == (
        "Chief Financial Officer",
        "Marta Kowalski",
    )
    shown = run("show", session_id, db=db_path).stdout
    assert "Marta Kowalski (Chief Financial Officer, Finance)  [left on 2026-10-01]" in shown
    assert (
        "Nina Berg (Chief Financial Officer, Finance)  [took over from Marta Kowalski: to resell]"
        in shown
    )
    assert [p.name for p in record.stakeholders if not p.has_left] == ["Dana Reyes", "Nina Berg"]

    child = run("followup", session_id, db=db_path).stdout.strip()
    with SessionStore.open(db_path) as store:
        follow = store.load_session(child)
        dana = next(p for p in follow.stakeholders if p.name == "Dana Reyes")
        store.update_stakeholder(dana.id, stance="supportive")
    assert [p.name for p in follow.stakeholders] == ["Dana Reyes", "Nina Berg"]
    nina = next(p for p in follow.stakeholders if p.name == "Nina Berg")
    assert nina.replaces == "Marta Kowalski"
    # Marta's placement stays with the quarter she was in.
    assert [i.stakeholder_id for i in follow.items_of("segmentation")] == [dana.id]

    changed = run("diff", session_id, child, db=db_path).stdout
    assert (
        "Nina Berg took over from Marta Kowalski as Chief Financial Officer; the seat is to be "
        "resold." in changed
    )
    assert "Dana Reyes's stance towards marketing went from resistant to supportive." in changed
    assert "Marta Kowalski is no longer" not in changed and "joined" not in changed
    shown_child = run("show", child, db=db_path).stdout
    assert "[took over from Marta Kowalski: to resell]" in shown_child


def test_a_seat_change_survives_a_dump_and_someone_who_left_is_not_drafted(db_path, tmp_path):
    session_id = quarter(db_path)
    with WorkshopService.open(db_path) as service:
        service.people.leave(session_id, "Marta Kowalski", date(2026, 10, 1), "Nina Berg")
        dump = service.store.dump_session(session_id)
        from workshop.drafting.placing import unsettled

        record = service.sessions.load(session_id)
        names = {p.id: p.name for p in record.stakeholders}
        assert [names[i] for i in unsettled(record)] == ["Nina Berg"]
    with SessionStore.open(tmp_path / "copy.db") as other:
        copy = other.load_session_dump(dump, as_copy=True)
        people = {p.name: p for p in other.load_session(copy.id).stakeholders}
    assert people["Marta Kowalski"].left_on == date(2026, 10, 1)
    assert people["Nina Berg"].replaces == "Marta Kowalski"


def test_leaving_twice_or_a_taken_name_gets_one_clear_line(db_path):
    import pytest

    from sessions import DuplicateNameError
    from workshop.errors import WorkshopError

    session_id = quarter(db_path)
    with WorkshopService.open(db_path) as service:
        with pytest.raises(DuplicateNameError):
            service.people.leave(session_id, "Marta Kowalski", None, "Dana Reyes")
        assert not service.people.by_name(session_id, "Marta Kowalski").has_left
        service.people.leave(session_id, "Marta Kowalski")
        with pytest.raises(WorkshopError, match="already marked as left"):
            service.people.leave(session_id, "Marta Kowalski")


def test_the_cli_marks_a_seat_change(db_path):
    session_id = quarter(db_path)

    said = run(
        "person",
        session_id,
        "Marta Kowalski",
        "--left",
        "--replaced-by",
        "Nina Berg",
        "--on",
        "2026-10-01",
        db=db_path,
    )
    again = run("person", session_id, "Marta Kowalski", "--left", db=db_path, check=False)

    assert said.stderr.strip() == (
        "Marta Kowalski left their seat on 2026-10-01; Nina Berg takes it over as Chief "
        "Financial Officer, unplaced and to be resold."
    )
    assert again.returncode == 1 and "already marked as left (2026-10-01)" in again.stderr
