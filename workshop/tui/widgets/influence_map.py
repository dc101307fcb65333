"""The map: influence (rows) against support for marketing (columns), drawn in text."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from sessions import Influence, Item, ItemKind, SessionRecord, Stakeholder, Stance, Status
from workshop.rules.positions import Position, position

SEGMENT_STYLES = {
    "influencer": "bold blue",
    "champion": "bold green",
    "detractor": "bold red",
    "decision_maker": "bold yellow",
    "participant": "bold cyan",
}
ROWS = [Influence.HIGH, Influence.MEDIUM, Influence.LOW]
COLUMNS = [Stance.RESISTANT, Stance.NEUTRAL, Stance.SUPPORTIVE]


def current_assignments(record: SessionRecord) -> dict[str, Item]:
    """Each person's assignment as the map and the live view show it: rejected ones left
    out, and an approved assignment winning over a newer draft."""
    items = [
        i
        for i in record.items_of(ItemKind.SEGMENTATION)
        if i.status is not Status.REJECTED and i.stakeholder_id
    ]
    return {
        i.stakeholder_id or "": i for i in sorted(items, key=lambda i: i.status is Status.APPROVED)
    }


class InfluenceMap(Static):
    def show_record(self, record: SessionRecord, segment_names: dict[str, str]) -> None:
        """The whole session's map: everyone where the register (or an estimate) puts them."""
        current = current_assignments(record)
        segment_of = {person: str(i.body.get("segment")) for person, i in current.items()}
        positions = {
            p.id: position(p, current[p.id].body if p.id in current else None)
            for p in record.stakeholders
        }
        self.show(record.stakeholders, segment_of, segment_names, positions)

    def show(
        self,
        people: list[Stakeholder],
        segment_of: dict[str, str],
        segment_names: dict[str, str],
        positions: dict[str, Position] | None = None,
    ) -> None:
        """segment_of: stakeholder id → the segment of their current assignment;
        positions: where each sits, when their placement estimated what the register lacks."""
        positions = positions or {}
        where = {p.id: positions.get(p.id) or Position(p.influence, p.stance) for p in people}
        table = Table(expand=True, show_lines=True, title="Influence × support for marketing")
        table.add_column("Influence ↓ / Support →", style="bold", width=12)
        for stance in COLUMNS:
            table.add_column(stance.value.capitalize(), ratio=1)
        for influence in ROWS:
            cells = []
            for stance in COLUMNS:
                cell = Text()
                for person in people:
                    spot = where[person.id]
                    if spot.influence is influence and spot.stance is stance:
                        segment = segment_of.get(person.id, "")
                        if cell:
                            cell.append("\n")
                        # ○ as in the legend: not segmented, or their assignment rejected.
                        style = SEGMENT_STYLES.get(segment)
                        cell.append("● " if style else "○ ", style=style or "dim")
                        cell.append(person.name)
                        if spot.estimated:
                            cell.append(" ~", style="italic")
                cells.append(cell)
            table.add_row(Text(influence.value.capitalize()), *cells)
        legend = Text("\n")
        for segment, style in SEGMENT_STYLES.items():
            legend.append("● ", style=style)
            legend.append(f"{segment_names.get(segment, segment)}   ")
        legend.append("○ ", style="dim")
        legend.append("not segmented yet")
        if any(spot.estimated for spot in where.values()):
            legend.append("\n~ estimated by the model; not in the register yet", style="italic")
        unplaced = [p.name for p in people if not where[p.id].on_map]
        if unplaced:
            legend.append(
                "\n\nNot on the map (set influence and stance on the Stakeholders stage): "
                + ", ".join(unplaced),
                style="dim",
            )
        from rich.console import Group

        self.update(Group(table, legend))
