"""Prompt templates and playbooks as data files, and the loader that reads them.

No file is read at import time: call `load_library()`.
"""

from .data_block import data_block, format_fields, neutralise
from .errors import (
    FileProblem,
    MissingVariableError,
    NotFoundError,
    PlaybookError,
    PlaybookNotFoundError,
    PromptLibraryError,
    RenderError,
    TemplateError,
    TemplateNotFoundError,
    UnexpectedVariableError,
    VariableTypeError,
)
from .library import ENV_USER_DIR, PromptLibrary, SourceInfo, default_user_dir, load_library
from .playbook import (
    OUTCOME_RULE_IDS,
    SEGMENT_IDS,
    AttributeRule,
    OutcomeRule,
    Playbook,
    Segment,
    Suggestion,
    Topic,
    load_playbook,
)
from .templates import Message, Template, load_template

__all__ = [
    "ENV_USER_DIR",
    "OUTCOME_RULE_IDS",
    "SEGMENT_IDS",
    "AttributeRule",
    "FileProblem",
    "Message",
    "MissingVariableError",
    "NotFoundError",
    "OutcomeRule",
    "Playbook",
    "PlaybookError",
    "PlaybookNotFoundError",
    "PromptLibrary",
    "PromptLibraryError",
    "RenderError",
    "Segment",
    "SourceInfo",
    "Suggestion",
    "Template",
    "TemplateError",
    "TemplateNotFoundError",
    "Topic",
    "UnexpectedVariableError",
    "VariableTypeError",
    "data_block",
    "default_user_dir",
    "format_fields",
    "load_library",
    "load_playbook",
    "load_template",
    "neutralise",
]
