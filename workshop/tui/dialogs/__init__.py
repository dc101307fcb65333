"""Modal dialogs, each with its .tcss file beside it."""
