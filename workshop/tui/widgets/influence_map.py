"""The map: influence (rows) against support for marketing (columns), drawn in text."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from sessions import Influence, Stakeholder, Stance

SEGMENT_STYLES = {
    "influencer": "bold blue",
    "champion": "bold green",
    "detractor": "bold red",
    "decision_maker": "bold yellow",
    "participant": "bold cyan",
}
ROWS = [Influence.HIGH, Influence.MEDIUM, Influence.LOW]
COLUMNS = [Stance.RESISTANT, Stance.NEUTRAL, Stance.SUPPORTIVE]


class InfluenceMap(Static):
    def show(
        self,
        people: list[Stakeholder],
        segment_of: dict[str, str],
        segment_names: dict[str, str],
    ) -> None:
        """segment_of: stakeholder id → the segment of their current assignment."""
        table = Table(expand=True, show_lines=True, title="Influence × support for marketing")
        table.add_column("Influence ↓ / Support →", style="bold", width=12)
        for stance in COLUMNS:
            table.add_column(stance.value.capitalize(), ratio=1)
        for influence in ROWS:
            cells = []
            for stance in COLUMNS:
                cell = Text()
                for person in people:
                    if person.influence is influence and person.stance is stance:
                        segment = segment_of.get(person.id, "")
                        if cell:
                            cell.append("\n")
                        cell.append("● ", style=SEGMENT_STYLES.get(segment, "dim"))
                        cell.append(person.name)
                cells.append(cell)
            table.add_row(Text(influence.value.capitalize()), *cells)
        legend = Text("\n")
        for segment, style in SEGMENT_STYLES.items():
            legend.append("● ", style=style)
            legend.append(f"{segment_names.get(segment, segment)}   ")
        legend.append("○ ", style="dim")
        legend.append("not segmented yet")
        unplaced = [p.name for p in people if p.influence is None or p.stance is None]
        if unplaced:
            legend.append(
                "\n\nNot on the map (set influence and stance on the Stakeholders stage): "
                + ", ".join(unplaced),
                style="dim",
            )
        from rich.console import Group

        self.update(Group(table, legend))
