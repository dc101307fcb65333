"""An export's file name comes from its title, the same in the TUI and the service."""

from __future__ import annotations

import subprocess
import sys

from workshop.rules.file_names import export_file_name, title_slug
from workshop.service.facade import WorkshopService


def test_title_slug():
    assert title_slug("Q3 Strategy: EU growth") == "q3-strategy-eu-growth"
    assert title_slug("Équipe – Café ☕") == "equipe-cafe"
    assert title_slug("☕☕") == "workshop"
    assert title_slug("../../etc/passwd") == "etc-passwd"
    assert len(title_slug("x" * 500)) == 60
    assert export_file_name("Q3: EU") == "q3-eu.md"


def test_the_service_offers_the_title_as_the_file_name(db_path):
    with WorkshopService.open(db_path) as service:
        session = service.sessions.new(title="Q3 Strategy: EU growth")
        assert service.export.file_name(session.id[:8]) == "q3-strategy-eu-growth.md"


def test_exporting_to_a_folder_says_so_in_one_line(db_path, tmp_path):
    with WorkshopService.open(db_path) as service:
        session_id = service.sessions.new(title="Q3").id
    folder = tmp_path / "out"
    folder.mkdir()
    for force in ([], ["--force"]):
        result = subprocess.run(
            [sys.executable, "-m", "workshop", "--db", str(db_path), "export", session_id]
            + ["-o", str(folder), *force],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 1
        assert result.stderr == f"workshop: {folder} is a folder: give a file name.\n"
        assert list(folder.iterdir()) == []
