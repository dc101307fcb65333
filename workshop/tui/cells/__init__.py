"""Plain formatters of table cells and rows (Rich text, no widgets)."""
