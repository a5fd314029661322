"""Turn published safeguarding review documents into structured learning in SQLite."""
