"""service.watch(): another connection's commit is noticed once; our own writes are not."""

from __future__ import annotations

from pathlib import Path

from workshop.service.facade import WorkshopService


def test_a_watch_sees_other_connections_commits_only(db_path: Path) -> None:
    with WorkshopService.open(db_path) as here, WorkshopService.open(db_path) as there:
        session = here.sessions.new(title="Q3 plan")
        watch = here.watch()
        assert not watch.changed()
        here.people.add(session.id, {"name": "Ann Lee"})  # this window's own write
        assert not watch.changed()
        there.people.add(session.id, {"name": "Zed Quill"})
        assert watch.changed()
        assert not watch.changed()  # said once per batch of commits
        there.sessions.set_stage(session.id, "outcomes")
        there.sessions.set_stage(session.id, "plan")
        assert watch.changed()
        assert here.sessions.get(session.id).stage.value == "plan"


def test_each_watch_keeps_its_own_place(db_path: Path) -> None:
    with WorkshopService.open(db_path) as here, WorkshopService.open(db_path) as there:
        session = there.sessions.new(title="Q3 plan")
        first, second = here.watch(), here.watch()
        there.people.add(session.id, {"name": "Zed Quill"})
        assert first.changed()
        assert second.changed()  # the first one asking did not hide it from the second
