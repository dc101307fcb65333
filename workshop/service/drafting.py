"""The service's model side: which model to draft with, the drafter, the usage so far."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sessions import LlmCall, SessionStore
from workshop.drafting.config import ModelSettings, no_model_message, resolve_settings
from workshop.drafting.faults import NoModelError, failure_words
from workshop.drafting.tokens import counted_note

if TYPE_CHECKING:
    from workshop.drafting.drafter import Drafter


@dataclass(frozen=True)
class Usage:
    calls: int
    failed: int
    tokens_in: int
    tokens_out: int
    tokens_counted: int
    counted: int = 0  # calls whose figures are the app's own count (no usage reported)
    cost: float | None = None
    failures: dict[str, int] = field(default_factory=dict)  # status → calls

    def failed_text(self) -> str:
        """'7 failed: 4 cut by the server, 3 server errors' (or '0 failed')."""
        if not self.failures:
            return f"{self.failed} failed"
        parts = ", ".join(f"{n} {failure_words(status, n)}" for status, n in self.failures.items())
        return f"{self.failed} failed: {parts}"

    def tokens(self) -> str:
        """'1,234 in, 56 out', with a word when the app counted them itself."""
        text = f"{self.tokens_in:,} in, {self.tokens_out:,} out"
        return text + counted_note(self.counted, self.calls)


class DraftingOps:
    """`service.drafting`."""

    # The store's own operation, offered as it is.
    record_call: Callable[[LlmCall], str]

    def __init__(self, store: SessionStore) -> None:
        self._store = store
        self.record_call = store.record_llm_call

    @staticmethod
    def settings(
        profile: str | None = None, model: str | None = None, base_url: str | None = None
    ) -> ModelSettings | None:
        """The model to draft with, or None when none is configured."""
        return resolve_settings(profile, model, base_url)

    def drafter(
        self,
        profile: str | None = None,
        model: str | None = None,
        base_url: str | None = None,
        pseudonymise: bool = False,
    ) -> Drafter:
        """A Drafter bound to this store; NoModelError says how to connect one if none is set."""
        settings = self.settings(profile, model, base_url)
        if settings is None:
            raise NoModelError(no_model_message())
        from workshop.drafting.drafter import Drafter  # the engine pulls in tiktoken and openai

        return Drafter(self._store, settings, pseudonymise=pseudonymise)

    def usage(self, session_id: str, settings: ModelSettings | None = None) -> Usage:
        """Tokens so far, and their estimated cost at the given model's prices."""
        totals = self._store.usage(session_id)
        cost = None
        if settings is not None:
            from workshop.drafting.tokens import estimate_cost

            cost = estimate_cost(
                totals["tokens_in"], totals["tokens_out"], settings.price_in, settings.price_out
            )
        return Usage(**totals, cost=cost, failures=self._store.failed_calls(session_id))
