"""The service layer: the one door the CLI and the TUI use to reach the store and the engine."""
