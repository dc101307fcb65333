"""Token efficiency: what the shipped templates cost per stakeholder and per session."""

from __future__ import annotations

import tempfile
from pathlib import Path

from common import ROOT

from prompt_library import load_library
from sessions import ItemKind, Origin, SessionStore
from workshop.drafting.jobs import JobBuilder
from workshop.drafting.tokens import counter_for_model


def measure(model: str = "gpt-4o-mini") -> dict[str, float]:
    library = load_library()
    counter = counter_for_model(model)
    with tempfile.TemporaryDirectory() as tmp, SessionStore.open(Path(tmp) / "t.db") as store:
        from workshop.service.importing import read_brief_file

        brief, people = read_brief_file(ROOT / "examples" / "brief.toml")
        session = store.create_session(brief, people)
        for person in store.stakeholders(session.id):
            store.create_item(
                session.id,
                ItemKind.ANSWERS,
                {
                    "entries": [
                        {
                            "question": "What does success look like for your team?",
                            "answer": "More qualified pipeline from the EU launch, and "
                            "fewer one-off requests to marketing.",
                        }
                    ]
                    * 3
                },
                Origin.PERSON,
                "Priya",
                stakeholder_id=person.id,
            )
        record = store.load_session(session.id)
        builder = JobBuilder(record, library, library.playbook())
        per_person = [
            counter.count_messages(job.template.render(**job.variables))
            for job in (builder.segmentation(p) for p in record.stakeholders)
        ]
        outcomes_job = builder.outcomes()
        guide_job = builder.discussion_guide(next(iter(__import__("sessions").Segment)))
    label = " (approximate: offline cl100k_base)" if counter.approximate else ""
    return {
        f"segmentation prompt per stakeholder (tokens, mean of {len(per_person)}){label}": sum(
            per_person
        )
        / len(per_person),
        f"discussion guide prompt per segment (tokens){label}": counter.count_messages(
            guide_job.template.render(**guide_job.variables)
        ),
        f"outcomes prompt per session, {len(record.stakeholders)} people with answers "
        f"(tokens){label}": counter.count_messages(
            outcomes_job.template.render(**outcomes_job.variables)
        ),
    }
