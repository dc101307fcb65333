"""The screens of the workshop app, each with its .tcss file beside it."""
