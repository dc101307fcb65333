"""The session store: SQLite through sqlite-utils. No Textual, no openai here.

Names are loaded on first use (PEP 562), so that importing one light part (the errors,
say) does not pay for pydantic schemas and sqlite-utils at start-up.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "AnswersBody": "bodies",
    "BODY_MODELS": "bodies",
    "Brief": "models",
    "CadenceBody": "bodies",
    "ConflictError": "errors",
    "DatabaseError": "errors",
    "DiscussionGuideBody": "bodies",
    "DuplicateNameError": "errors",
    "ImpactUpdateBody": "bodies",
    "Influence": "models",
    "InvalidInputError": "errors",
    "Involvement": "models",
    "Item": "models",
    "ItemKind": "models",
    "LlmCall": "models",
    "Measurement": "models",
    "NotFoundError": "errors",
    "Origin": "models",
    "OutcomeBody": "bodies",
    "PlanEntryBody": "bodies",
    "PlanStatus": "models",
    "PlanStatusChange": "models",
    "Revision": "models",
    "SearchHit": "models",
    "Segment": "models",
    "SegmentationBody": "bodies",
    "Session": "models",
    "SessionRecord": "models",
    "SessionStore": "store",
    "SessionSummary": "models",
    "Stage": "models",
    "StageTime": "models",
    "Stakeholder": "models",
    "StakeholderInput": "models",
    "Stance": "models",
    "Status": "models",
    "StoreError": "errors",
    "body_hash": "bodies",
    "has_engagement_details": "bodies",
    "connect": "database",
    "default_database_path": "database",
    "schema_version": "database",
}
__all__ = [
    "AnswersBody",
    "BODY_MODELS",
    "Brief",
    "CadenceBody",
    "ConflictError",
    "DatabaseError",
    "DiscussionGuideBody",
    "DuplicateNameError",
    "ImpactUpdateBody",
    "Influence",
    "InvalidInputError",
    "Involvement",
    "Item",
    "ItemKind",
    "LlmCall",
    "Measurement",
    "NotFoundError",
    "Origin",
    "OutcomeBody",
    "PlanEntryBody",
    "PlanStatus",
    "PlanStatusChange",
    "Revision",
    "SearchHit",
    "Segment",
    "SegmentationBody",
    "Session",
    "SessionRecord",
    "SessionStore",
    "SessionSummary",
    "Stage",
    "StageTime",
    "Stakeholder",
    "StakeholderInput",
    "Stance",
    "Status",
    "StoreError",
    "body_hash",
    "has_engagement_details",
    "connect",
    "default_database_path",
    "schema_version",
]


def __getattr__(name: str) -> Any:
    try:
        module = _WHERE[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:  # for type checkers and editors, the eager imports
    from .bodies import (
        BODY_MODELS,
        AnswersBody,
        CadenceBody,
        DiscussionGuideBody,
        ImpactUpdateBody,
        OutcomeBody,
        PlanEntryBody,
        SegmentationBody,
        body_hash,
        has_engagement_details,
    )
    from .database import connect, default_database_path, schema_version
    from .errors import (
        ConflictError,
        DatabaseError,
        DuplicateNameError,
        InvalidInputError,
        NotFoundError,
        StoreError,
    )
    from .models import (
        Brief,
        Influence,
        Involvement,
        Item,
        ItemKind,
        LlmCall,
        Measurement,
        Origin,
        PlanStatus,
        PlanStatusChange,
        Revision,
        SearchHit,
        Segment,
        Session,
        SessionRecord,
        SessionSummary,
        Stage,
        StageTime,
        Stakeholder,
        StakeholderInput,
        Stance,
        Status,
    )
    from .store import SessionStore
