"""Undo and redo through the service: each step goes forward in the history (a new
revision saying "undone"), on the real store."""

from __future__ import annotations

import pytest
from support.tui_helpers import SAMPLE_OUTCOME

from sessions import Influence, SessionStore, Status
from workshop.errors import WorkshopError
from workshop.service.facade import WorkshopService


def make(db_path):
    with SessionStore.open(db_path) as store:
        session = store.create_session({"title": "Q3", "facilitator": "Lee"}, [{"name": "Dana"}])
        item = store.create_item(session.id, "outcome", SAMPLE_OUTCOME, "model", "model")
    return session.id, item.id


def test_an_approval_is_undone_and_redone_and_the_history_says_so(db_path):
    _, item_id = make(db_path)
    with WorkshopService.open(db_path) as service:
        service.items.approve(item_id, "Lee")
        said = service.undo.undo()
        assert said.startswith('Undone: the approval of "More repeat customers"')
        assert service.items.get(item_id).status is Status.DRAFT
        assert service.undo.redo() == 'Redone: the approval of "More repeat customers".'
        assert service.items.get(item_id).status is Status.APPROVED
        notes = [r.note for r in service.items.revisions(item_id)]
    assert notes == ["", "approved", "undone", "approved"]


def test_an_edit_and_a_rejection_undo_in_reverse_order(db_path):
    _, item_id = make(db_path)
    with WorkshopService.open(db_path) as service:
        service.items.edit(item_id, SAMPLE_OUTCOME | {"target": "30%"}, "Lee")
        service.items.reject(item_id, "Lee")
        service.undo.undo()
        item = service.items.get(item_id)
        assert (item.status, item.body["target"]) == (Status.DRAFT, "30%")
        service.undo.undo()
        assert service.items.get(item_id).body["target"] == "25%"
        with pytest.raises(WorkshopError, match="Nothing to undo"):
            service.undo.undo()


def test_a_persons_attribute_and_place_in_the_register_come_back(db_path):
    session_id, _ = make(db_path)
    with WorkshopService.open(db_path) as service:
        service.people.add(session_id, {"name": "Tom"})
        dana, tom = service.store.stakeholders(session_id)
        service.people.update(dana.id, influence=Influence.HIGH)
        service.people.move(tom.id, -1)
        assert "moving Tom" in service.undo.undo()
        assert [p.name for p in service.store.stakeholders(session_id)] == ["Dana", "Tom"]
        assert "Dana's influence" in service.undo.undo()
        assert service.store.get_stakeholder(dana.id).influence is None
        service.undo.redo()
        assert service.store.get_stakeholder(dana.id).influence is Influence.HIGH


def test_a_new_change_clears_what_could_be_redone(db_path):
    _, item_id = make(db_path)
    with WorkshopService.open(db_path) as service:
        service.items.approve(item_id, "Lee")
        service.undo.undo()
        service.items.reject(item_id, "Lee")
        with pytest.raises(WorkshopError, match="Nothing to redo"):
            service.undo.redo()
