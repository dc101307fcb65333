"""One pane per workshop stage; each talks to the service layer only."""
