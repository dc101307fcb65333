"""The Textual front end: the app, screens, dialogs, stage panes, widgets and cells."""
