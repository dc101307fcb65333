"""The Markdown export: the document, its sections and the escaping of user text."""
