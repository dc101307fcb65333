"""What a round of drafting did, for the CLI's last line and the TUI's status bar."""

from __future__ import annotations

from dataclasses import dataclass, field

from sessions import Item
from workshop.drafting.engine import DraftResult
from workshop.drafting.tokens import counted_note


@dataclass
class DraftSummary:
    """What a round of drafting did, for the CLI's last line and the TUI's status bar."""

    drafted: list[Item] = field(default_factory=list)
    detailed: list[Item] = field(default_factory=list)  # placements given their details
    failed: list[tuple[str, str]] = field(default_factory=list)  # (label, message)
    tokens_in: int = 0
    tokens_out: int = 0
    calls: int = 0
    counted: int = 0
    cost: float | None = None

    def tokens(self) -> str:
        """'1,234 in, 56 out', with a word when the app counted them itself."""
        return f"{self.tokens_in:,} in, {self.tokens_out:,} out" + counted_note(
            self.counted, self.calls
        )

    def merge(self, other: DraftSummary) -> None:
        self.drafted += other.drafted
        self.detailed += other.detailed
        self.failed += other.failed
        self.add_usage(other)

    def add_usage(self, result: DraftResult | DraftSummary) -> None:
        self.tokens_in += result.tokens_in
        self.tokens_out += result.tokens_out
        self.calls += result.calls
        self.counted += result.counted
        if result.cost is not None:
            self.cost = (self.cost or 0.0) + result.cost
