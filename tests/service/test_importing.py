"""Reading brief files, stakeholder CSVs and pasted lines: good files work, bad ones say why."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.paths import EXAMPLES

from sessions import Influence, Stance
from workshop.errors import WorkshopError
from workshop.service.importing import (
    parse_stakeholder_lines,
    read_brief_file,
    read_stakeholders_csv,
)


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    return path


def test_example_brief_and_csv_read_as_shipped():
    brief, people = read_brief_file(EXAMPLES / "brief.toml")
    assert brief.title == "Q3 marketing strategy workshop"
    assert len(brief.priorities) == 3
    assert [p.name for p in people][:2] == ["Marta Kowalski", "Daniel Osei"]
    extra = read_stakeholders_csv(EXAMPLES / "stakeholders.csv")
    assert extra[1].notes == 'Worried about "yet another tool" in the stack.'
    assert extra[1].stance is Stance.RESISTANT


def test_json_brief(tmp_path):
    path = write(
        tmp_path,
        "b.json",
        '{"title": "Q1", "organisation": "Acme", "stakeholders": [{"name": "Ada"}]}',
    )
    brief, people = read_brief_file(path)
    assert (brief.title, brief.organisation, people[0].name) == ("Q1", "Acme", "Ada")


def test_csv_with_bom_and_windows_line_endings(tmp_path):
    data = "\ufeffname,role,team,influence\r\nAda,CFO,Finance,high\r\nBob,VP,Sales,\r\n"
    people = read_stakeholders_csv(write(tmp_path, "p.csv", data.encode("utf-8")))
    assert [(p.name, p.role, p.team) for p in people] == [
        ("Ada", "CFO", "Finance"),
        ("Bob", "VP", "Sales"),
    ]
    assert people[0].influence is Influence.HIGH
    assert people[1].influence is None


def test_csv_without_header_is_name_role_team(tmp_path):
    people = read_stakeholders_csv(write(tmp_path, "p.csv", "Ada, CFO, Finance\nBob\n"))
    assert [(p.name, p.role, p.team) for p in people] == [
        ("Ada", "CFO", "Finance"),
        ("Bob", "", ""),
    ]


def test_csv_notes_with_newlines_quotes_and_commas(tmp_path):
    data = 'name,notes\nAda,"said ""no"", twice\nthen yes"\n'
    people = read_stakeholders_csv(write(tmp_path, "p.csv", data))
    assert people[0].notes == 'said "no", twice\nthen yes'


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bad.csv", 'name,role\n"Ada,CFO\n', "not a valid CSV"),
        ("bad.csv", b"name\nAda\n\xff\xfeBob\n", "not UTF-8"),
        ("bad.csv", "name,colour\nAda,red\n", "unknown column 'colour'"),
        ("bad.csv", "name,role\nAda,CFO,extra\n", "line 2 has 3 fields"),
        ("bad.csv", "name,influence\nAda,huge\n", "line 2: influence"),
        ("bad.csv", "name,role\n ,CFO\n", "line 2: name: must not be empty"),
        ("empty.csv", "\n\n", "no stakeholders"),
        ("header.csv", "name,role,team\n", "a header but no stakeholders under it"),
        ("u16.csv", "name,role\nAda,CFO\n".encode("utf-16-le"), "UTF-16 text without a byte"),
        ("b.toml", "title = ", "not valid TOML"),
        ("b.json", "{", "not valid JSON"),
        ("b.toml", 'organisation = "Acme"', "title"),
        ("b.toml", 'title = "x"\ncolour = "red"', "colour"),
        ("b.toml", 'title = "x"\nstakeholders = "Ada"', "must be a list"),
        ("b.toml", 'title = "x"\n[[stakeholders]]\nname = ""', "stakeholder 1"),
    ],
)
def test_bad_files_give_one_clear_message(tmp_path, name, data, message):
    path = write(tmp_path, name, data)
    reader = read_stakeholders_csv if name.endswith(".csv") else read_brief_file
    with pytest.raises(WorkshopError) as caught:
        reader(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("name;role;team\nAda Lovelace;CFO;Finance\nBo Ek;Sales;Sales\n", "utf-8"),
        ("name\trole\tteam\nAda Lovelace\tCFO\tFinance\nBo Ek\tSales\tSales\n", "utf-8"),
        # Excel's "Unicode text": UTF-16 with a byte-order mark, tabs between the fields.
        ("name\trole\tteam\r\nAda Lovelace\tCFO\tFinance\r\nBo Ek\tSales\tSales\r\n", "utf-16"),
        ("Ada Lovelace;CFO;Finance\nBo Ek;Sales;Sales\n", "utf-8"),
    ],
    ids=["semicolons", "tabs", "excel-unicode-text", "semicolons-no-header"],
)
def test_a_csv_separated_otherwise_reads_its_people_not_its_header(tmp_path, data, encoding):
    people = read_stakeholders_csv(write(tmp_path, "people.csv", data.encode(encoding)))
    assert [(p.name, p.role, p.team) for p in people] == [
        ("Ada Lovelace", "CFO", "Finance"),
        ("Bo Ek", "Sales", "Sales"),
    ]


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(WorkshopError, match="no such file"):
        read_brief_file(tmp_path / "nope.toml")
    with pytest.raises(WorkshopError, match="is a folder"):
        read_stakeholders_csv(tmp_path)


def test_pasted_lines_with_list_markers_and_blank_lines():
    text = (
        "- Ada Lovelace, CFO, Finance\n\n* Bob, VP Sales\n"
        '3. Chloé, PR, Comms, likes "events", a lot\n'
    )
    people = parse_stakeholder_lines(text)
    assert [(p.name, p.role, p.team) for p in people] == [
        ("Ada Lovelace", "CFO", "Finance"),
        ("Bob", "VP Sales", ""),
        ("Chloé", "PR", "Comms"),
    ]
    assert people[2].notes == 'likes "events", a lot'


def test_pasted_line_with_empty_name_names_the_line():
    with pytest.raises(WorkshopError, match="line 2: name"):
        parse_stakeholder_lines("Ada\n , CFO\n")
