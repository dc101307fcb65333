"""Strategy Workshop: the application (TUI, CLI, service layer, export)."""
